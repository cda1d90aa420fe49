using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Xai;

/// <summary>
/// xAI's <c>session.update</c> (protocol additions §9): <c>voice</c> and <c>turn_detection</c> are top-level session
/// fields, <c>type</c> is optional, voices are xAI's (lower case; capitalised accepted), server VAD cannot be turned
/// off, and the input transcription model is <c>grok-transcribe</c>. Everything else is parsed as GA does.
/// Like GA, the first invalid field wins and nothing is applied.
/// </summary>
internal static class XaiSessionParser
{
    public const string DefaultModel = "grok-voice-think-fast-1.0";
    public const string DefaultVoice = "ara";
    public static readonly string[] Voices = ["ara", "eve", "leo", "rex", "sal", "carina", "orion", "luna"];
    private static readonly string[] TranscriptionModels = ["grok-transcribe"];

    /// <param name="acceptNested">
    /// <c>Xai:NestedAudioFields=accept</c>: apply GA's <c>audio.output.voice</c> / <c>audio.input.turn_detection</c>;
    /// otherwise they are left unapplied, as a server that does not know them would.
    /// </param>
    public static RealtimeError? Apply(JsonElement session, SessionConfig target, SessionConfigParser.UpdateContext context, bool acceptNested)
    {
        const string path = "session";
        if (JsonRead.Object(session, path) is { } notObject)
        {
            return notObject;
        }
        foreach (var p in session.EnumerateObject())
        {
            var at = $"{path}.{p.Name}";
            var error = p.Name switch
            {
                "voice" => ParseVoice(p.Value, at, out var voice) ?? SessionConfigParser.ApplyVoice(voice, target, context),
                "turn_detection" => ParseTurnDetection(p.Value, at, out var turn) ?? SessionConfigParser.Set(() => target.TurnDetection = turn),
                "audio" => ApplyAudio(p.Value, at, target, context, acceptNested),
                // No Grok voice model reasons in the OpenAI sense (protocol additions §2 gates it to gpt-realtime-2*).
                "reasoning" => RealtimeError.UnsupportedParameter(at, "is not supported with this model."),
                _ => SessionConfigParser.ApplyField(p.Name, p.Value, at, target, context),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    public static RealtimeError? ParseVoice(JsonElement v, string at, out JsonNode voice)
    {
        voice = JsonValue.Create(DefaultVoice);
        if (JsonRead.String(v, at, out var name) is { } e)
        {
            return e;
        }
        var lower = name.ToLowerInvariant();
        if (!Voices.Contains(lower, StringComparer.Ordinal))
        {
            return RealtimeError.InvalidValue(at, name, Voices);
        }
        voice = JsonValue.Create(lower);
        return null;
    }

    /// <summary>Server VAD only; <c>null</c> or type <c>none</c> would disable turn-taking, which xAI does not support.</summary>
    public static RealtimeError? ParseTurnDetection(JsonElement v, string at, out Sessions.TurnDetectionConfig? turn)
    {
        turn = null;
        var disabling = v.ValueKind == JsonValueKind.Null
            || (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.Null || t.ValueEquals("none")));
        if (disabling)
        {
            return RealtimeError.InvalidValueMessage(at,
                $"Invalid value for '{at}': server VAD cannot be disabled; manual turn-taking is not supported. Expected an object with type 'server_vad'.");
        }
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var type) && JsonRead.Enum(type, $"{at}.type", ["server_vad"], out _) is { } te)
        {
            return te;
        }
        return SessionConfigParser.ParseTurnDetection(v, at, out turn);
    }

    private static RealtimeError? ApplyAudio(JsonElement v, string at, SessionConfig target, SessionConfigParser.UpdateContext context, bool acceptNested)
    {
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        foreach (var p in v.EnumerateObject())
        {
            var error = p.Name switch
            {
                "input" => ApplyAudioInput(p.Value, $"{at}.input", target, acceptNested),
                "output" => ApplyAudioOutput(p.Value, $"{at}.output", target, context, acceptNested),
                _ => RealtimeError.UnknownParameter($"{at}.{p.Name}"),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyAudioInput(JsonElement v, string at, SessionConfig target, bool acceptNested)
    {
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            var error = p.Name switch
            {
                "format" => SessionConfigParser.ParseFormat(p.Value, pat, out var format) ?? SessionConfigParser.Set(() => target.InputFormat = format),
                "transcription" => SessionConfigParser.ParseTranscription(p.Value, pat, out var transcription, TranscriptionModels)
                    ?? SessionConfigParser.Set(() => target.Transcription = transcription),
                "noise_reduction" => SessionConfigParser.ParseNoiseReduction(p.Value, pat, out var noise) ?? SessionConfigParser.Set(() => target.NoiseReduction = noise),
                "turn_detection" => acceptNested
                    ? ParseTurnDetection(p.Value, pat, out var turn) ?? SessionConfigParser.Set(() => target.TurnDetection = turn)
                    : null,
                _ => RealtimeError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyAudioOutput(JsonElement v, string at, SessionConfig target, SessionConfigParser.UpdateContext context, bool acceptNested)
    {
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            var error = p.Name switch
            {
                "format" => SessionConfigParser.ParseFormat(p.Value, pat, out var format) ?? SessionConfigParser.Set(() => target.OutputFormat = format),
                "voice" => acceptNested
                    ? ParseVoice(p.Value, pat, out var voice) ?? SessionConfigParser.ApplyVoice(voice, target, context)
                    : null,
                "speed" => JsonRead.Number(p.Value, pat, 0.25, 1.5, out var speed) ?? SessionConfigParser.Set(() => target.Speed = speed),
                _ => RealtimeError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }
}
