using System.Buffers;
using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>Builds canonical server events that the Router itself originates (errors).</summary>
public static class ServerEvents
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";

    /// <summary>An OpenAI-style <c>error</c> event; <paramref name="clientEventId"/> is the failing client event's id.</summary>
    public static byte[] Error(string type, string? code, string message, string? param = null, string? clientEventId = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "error"u8);
            w.WriteString("event_id"u8, RealtimeIds.New("event"));
            w.WriteStartObject("error"u8);
            w.WriteString("type"u8, type);
            if (code is null) w.WriteNull("code"u8); else w.WriteString("code"u8, code);
            w.WriteString("message"u8, message);
            if (param is null) w.WriteNull("param"u8); else w.WriteString("param"u8, param);
            if (clientEventId is null) w.WriteNull("event_id"u8); else w.WriteString("event_id"u8, clientEventId);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
