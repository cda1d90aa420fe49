using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// xAI's voice agent API is OpenAI Realtime GA with a few differences (openai-realtime-2026-additions.md §9), mended
/// here so clients keep speaking GA: the session's <c>voice</c> and <c>turn_detection</c> are top-level fields there,
/// not under <c>audio.output</c>/<c>audio.input</c>; the connection opens with <c>conversation.created</c> (not a GA
/// event, so the client never sees it); input transcription reports the running transcript in <c>…updated</c>
/// events, turned into GA deltas. Voices and the transcription model are xAI's own: an OpenAI voice (<c>marin</c>)
/// becomes xAI's default <c>ara</c>, any transcription model <c>grok-transcribe</c>, as the Gemini connector maps
/// voices, so a client written for OpenAI works unchanged (session.updated shows what xAI applied). Only session events
/// are parsed: audio passes untouched.
/// </summary>
public sealed class XaiDialect
{
    /// <summary>xAI's voices (openai-realtime-2026-additions.md §9; livekit's list).</summary>
    private static readonly HashSet<string> Voices = new(StringComparer.OrdinalIgnoreCase) { "ara", "eve", "leo", "rex", "sal", "carina", "orion", "luna" };

    public const string DefaultVoice = "ara";
    public const string TranscriptionModel = "grok-transcribe";

    private readonly Dictionary<string, int> _transcribed = new(StringComparer.Ordinal);

    /// <summary>A client event as xAI takes it (a GA <c>session.update</c> reshaped; anything else unchanged).</summary>
    public static ReadOnlyMemory<byte> ToUpstream(ReadOnlyMemory<byte> clientEvent)
    {
        if (RealtimeEventType.Read(clientEvent.Span) != "session.update") return clientEvent;
        if (JsonNode.Parse(clientEvent.Span) is not JsonObject update || update["session"] is not JsonObject session) return clientEvent;
        ToUpstream(session);
        return WireJson.ToUtf8Bytes(update);
    }

    /// <summary>
    /// <see cref="ToUpstream(ReadOnlyMemory{byte})"/>, or, for a <c>session.update</c> xAI cannot honour, nothing: the
    /// client gets an OpenAI-style <c>error</c> instead and, as on OpenAI, no part of that update is applied.
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>> ToUpstreamAsync(ReadOnlyMemory<byte> clientEvent, ISessionEventSink client, CancellationToken cancellationToken)
    {
        if (RealtimeEventType.Read(clientEvent.Span) != "session.update") return clientEvent;
        if (JsonNode.Parse(clientEvent.Span) is not JsonObject update || update["session"] is not JsonObject session) return clientEvent;
        if (TurnDetectionOff(session) is { } param)
        {
            var eventId = update["event_id"] is JsonValue id && id.TryGetValue<string>(out var value) ? value : null;
            await client.EventAsync(CanonicalEvent.Of(RealtimeErrorEvent.Invalid("invalid_value",
                $"Invalid value for '{param}': xAI always detects turns (server VAD); turn detection cannot be turned off on this model.", param, eventId)), cancellationToken);
            return ReadOnlyMemory<byte>.Empty;
        }
        ToUpstream(session);
        return WireJson.ToUtf8Bytes(update);
    }

    /// <summary>
    /// The field of a GA (or xAI-shaped) session that turns turn detection off (<c>turn_detection: null</c>), or null.
    /// xAI has no manual turn-taking (livekit: <c>can_disable_turn_detection=False</c>), so this cannot be relayed.
    /// </summary>
    private static string? TurnDetectionOff(JsonObject session) =>
        session["audio"] is JsonObject { } audio && audio["input"] is JsonObject input && input.TryGetPropertyValue("turn_detection", out var nested) && nested is null
            ? "session.audio.input.turn_detection"
            : session.TryGetPropertyValue("turn_detection", out var top) && top is null ? "session.turn_detection" : null;

    /// <summary>Moves a GA session's voice and turn detection to the top level, as xAI reads them.</summary>
    public static void ToUpstream(JsonObject session)
    {
        if (session["audio"] is not JsonObject audio) return;
        if (audio["output"] is JsonObject output && output.Remove("voice", out var voice))
            session["voice"] = voice?.GetValueKind() == System.Text.Json.JsonValueKind.String && Voices.Contains(voice.GetValue<string>()) ? voice : DefaultVoice;
        if (audio["input"] is JsonObject input)
        {
            if (input.Remove("turn_detection", out var turns)) session["turn_detection"] = turns;
            if (input["transcription"] is JsonObject transcription && transcription.ContainsKey("model")) transcription["model"] = TranscriptionModel;
        }
    }

    /// <summary>A server event as a GA client expects it; empty when the client must not see it.</summary>
    public ReadOnlyMemory<byte> FromUpstream(ReadOnlyMemory<byte> serverEvent)
    {
        switch (RealtimeEventType.Read(serverEvent.Span))
        {
            case "conversation.created":
                return ReadOnlyMemory<byte>.Empty;
            case "session.created" or "session.updated":
                if (JsonNode.Parse(serverEvent.Span) is not JsonObject message || message["session"] is not JsonObject session) return serverEvent;
                FromUpstream(session);
                return WireJson.ToUtf8Bytes(message);
            case "conversation.item.input_audio_transcription.updated":
                return TranscriptDelta(serverEvent);
            case "conversation.item.input_audio_transcription.completed":
                if (JsonNode.Parse(serverEvent.Span)?["item_id"]?.GetValue<string>() is { } done) _transcribed.Remove(done);
                return serverEvent;
            default:
                return serverEvent;
        }
    }

    private static void FromUpstream(JsonObject session)
    {
        session["type"] ??= "realtime"; // GA sessions say what they are; xAI's do not
        var voice = session["voice"];
        var turns = session["turn_detection"];
        if (voice is null && turns is null) return;
        var audio = session["audio"] as JsonObject ?? [];
        session["audio"] = audio;
        if (voice is not null)
        {
            session.Remove("voice");
            var output = audio["output"] as JsonObject ?? [];
            audio["output"] = output;
            output["voice"] = voice;
        }
        if (turns is not null)
        {
            session.Remove("turn_detection");
            var input = audio["input"] as JsonObject ?? [];
            audio["input"] = input;
            input["turn_detection"] = turns;
        }
    }

    /// <summary>xAI's running transcript as the GA delta: what was added since the item's last update.</summary>
    private ReadOnlyMemory<byte> TranscriptDelta(ReadOnlyMemory<byte> serverEvent)
    {
        if (JsonNode.Parse(serverEvent.Span) is not JsonObject update || update["item_id"]?.GetValue<string>() is not { } item) return serverEvent;
        var transcript = update["transcript"]?.GetValue<string>() ?? "";
        var sent = _transcribed.GetValueOrDefault(item);
        // A revised transcript (not an extension of what was sent) cannot be taken back; only its new tail is sent.
        var delta = transcript.Length > sent ? transcript[sent..] : "";
        _transcribed[item] = Math.Max(sent, transcript.Length);
        if (delta.Length == 0) return ReadOnlyMemory<byte>.Empty;
        var message = new JsonObject
        {
            ["type"] = "conversation.item.input_audio_transcription.delta",
            ["event_id"] = update["event_id"]?.DeepClone(),
            ["item_id"] = item,
            ["content_index"] = update["content_index"]?.DeepClone() ?? 0,
            ["delta"] = delta,
        };
        return WireJson.ToUtf8Bytes(message);
    }
}
