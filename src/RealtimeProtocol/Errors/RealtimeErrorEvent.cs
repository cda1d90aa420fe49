using VoicePlatform.Contracts.Json;
using System.Buffers;
using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// An OpenAI Realtime <c>error</c> server event, carrying the failing client event's id. Part of the canonical session
/// model: the Gateway and the Router's connectors both originate them.
/// </summary>
public sealed record RealtimeErrorEvent(string Type, string? Code, string Message, string? Param = null, string? ClientEventId = null)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "error"u8);
            w.WriteString("event_id"u8, RealtimeIds.New("event"));
            w.WriteStartObject("error"u8);
            w.WriteString("type"u8, Type);
            if (Code is null) w.WriteNull("code"u8); else w.WriteString("code"u8, Code);
            w.WriteString("message"u8, Message);
            if (Param is null) w.WriteNull("param"u8); else w.WriteString("param"u8, Param);
            if (ClientEventId is null) w.WriteNull("event_id"u8); else w.WriteString("event_id"u8, ClientEventId);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static RealtimeErrorEvent Invalid(string code, string message, string? param, string? eventId) =>
        new(InvalidRequest, code, message, param, eventId);

    public static RealtimeErrorEvent Missing(string param, string? eventId) =>
        Invalid("missing_required_parameter", $"Missing required parameter: '{param}'.", param, eventId);

    public static RealtimeErrorEvent WrongType(string param, string expected, string? eventId) =>
        Invalid("invalid_type", $"Invalid type for '{param}': expected {expected}.", param, eventId);
}
