using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// Our <c>session.extensions</c> field (docs/realtime-protocol.md) on an OpenAI-kind session: OpenAI refuses unknown
/// fields, and none of its models has affective dialog or proactive audio. A session.update carrying the field is
/// validated here (its shape, then any <c>true</c> refused with <c>unsupported_parameter</c>) and goes upstream without it.
/// </summary>
internal static class OpenAIExtensionsFilter
{
    private static readonly SessionFeatures AnyValue = new() { AffectiveDialog = true, ProactiveAudio = ProactiveAudioSupport.Optional };

    /// <summary>
    /// The client event to send upstream: <paramref name="clientEvent"/> itself unless it is a session.update with
    /// <c>session.extensions</c>; empty when the field is refused (the client got the error, nothing goes upstream).
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>> ApplyAsync(ReadOnlyMemory<byte> clientEvent, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        var upstream = Apply(clientEvent, out var error, out var eventId);
        if (error is not null)
        {
            await sink.EventAsync(new CanonicalEvent("error", error.ToEvent(eventId)), cancellationToken);
        }

        return upstream;
    }

    internal static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> clientEvent, out ClientError? error, out string? eventId)
    {
        error = null;
        eventId = null;
        if (clientEvent.Span.IndexOf("\"extensions\""u8) < 0 || Parse(clientEvent) is not JsonObject root
            || (string?)(root["type"] as JsonValue) != "session.update" || root["session"] is not JsonObject session
            || !session.ContainsKey("extensions"))
        {
            return clientEvent;
        }

        eventId = root["event_id"] is JsonValue id && id.TryGetValue<string>(out var value) ? value : null;
        using (var document = JsonDocument.Parse(session["extensions"]?.ToJsonString() ?? "null"))
        {
            const string at = "session.extensions";
            var seen = new RealtimeSessionConfig();
            error = ModelFeaturesParser.ApplyExtensions(document.RootElement, at, seen, AnyValue)
                ?? (seen.AffectiveDialog == true ? Unsupported($"{at}.{ModelFeaturesParser.AffectiveDialog}")
                : seen.ProactiveAudio == true ? Unsupported($"{at}.{ModelFeaturesParser.ProactiveAudio}") : null);
        }

        if (error is not null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        session.Remove("extensions");
        return WireJson.ToUtf8Bytes(root);
    }

    /// <summary>Malformed JSON goes upstream as it is: OpenAI answers it.</summary>
    private static JsonNode? Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonNode.Parse(json.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ClientError Unsupported(string at) =>
        new("unsupported_parameter", $"Unsupported parameter: '{at}' is not supported with this model.", at);
}
