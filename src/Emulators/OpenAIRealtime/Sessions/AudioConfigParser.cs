using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// <c>session.audio</c>: input (format, transcription, noise reduction, turn detection) and output (format, voice,
/// speed). Formats and voices are also what <c>response.create</c>'s <c>audio.output</c> takes.
/// </summary>
internal static class AudioConfigParser
{
    public static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];
    private static readonly string[] Formats = ["audio/pcm", "audio/pcmu", "audio/pcma"];

    public static RealtimeError? Apply(JsonElement v, string at, SessionConfig target, SessionConfigParser.UpdateContext context)
    {
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        foreach (var p in v.EnumerateObject())
        {
            var error = p.Name switch
            {
                "input" => ApplyInput(p.Value, $"{at}.input", target),
                "output" => ApplyOutput(p.Value, $"{at}.output", target, context),
                _ => RealtimeError.UnknownParameter($"{at}.{p.Name}"),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyInput(JsonElement v, string at, SessionConfig target)
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? SessionConfigParser.Set(() => target.InputFormat = format),
                "transcription" => TranscriptionConfigParser.Parse(p.Value, pat, out var transcription)
                    ?? SessionConfigParser.Set(() => target.Transcription = transcription),
                "noise_reduction" => ParseNoiseReduction(p.Value, pat, out var noise) ?? SessionConfigParser.Set(() => target.NoiseReduction = noise),
                "turn_detection" => TurnDetectionParser.Parse(p.Value, pat, out var turn) ?? SessionConfigParser.Set(() => target.TurnDetection = turn),
                _ => RealtimeError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyOutput(JsonElement v, string at, SessionConfig target, SessionConfigParser.UpdateContext context)
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? SessionConfigParser.Set(() => target.OutputFormat = format),
                "voice" => ParseVoice(p.Value, pat, out var voice) ?? ApplyVoice(voice, target, context),
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

    public static RealtimeError? ApplyVoice(JsonNode voice, SessionConfig target, SessionConfigParser.UpdateContext context)
    {
        if (context.AssistantAudioPresent && !JsonNode.DeepEquals(voice, target.Voice))
        {
            // Observed verbatim (openai-agents-python#1661): param and event_id are null on this one.
            return new RealtimeError(RealtimeError.InvalidRequest, "cannot_update_voice",
                "Cannot update a conversation's voice if assistant audio is present.", null);
        }
        target.Voice = voice;
        return null;
    }

    public static RealtimeError? ParseVoice(JsonElement v, string at, out JsonNode voice)
    {
        voice = JsonValue.Create("alloy");
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (JsonRead.OnlyKnown(v, at, "id") is { } unknown)
            {
                return unknown;
            }
            if (!v.TryGetProperty("id", out var id))
            {
                return RealtimeError.Missing($"{at}.id");
            }
            if (JsonRead.String(id, $"{at}.id", out _) is { } e)
            {
                return e;
            }
            voice = JsonNode.Parse(v.GetRawText())!;
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.InvalidType(at, "one of a string or an object", v);
        }
        var name = v.GetString()!;
        if (!Voices.Contains(name, StringComparer.Ordinal))
        {
            return RealtimeError.InvalidValue(at, name, Voices);
        }
        voice = JsonValue.Create(name);
        return null;
    }

    public static RealtimeError? ParseFormat(JsonElement v, string at, out AudioFormat format)
    {
        format = AudioFormat.Pcm16;
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", Formats, out var type) is { } te)
        {
            return te;
        }
        AudioFormat.TryParseType(type, out format);
        if (JsonRead.OnlyKnown(v, at, format.Encoding == AudioEncoding.Pcm16 ? ["type", "rate"] : ["type"]) is { } unknown)
        {
            return unknown;
        }
        if (v.TryGetProperty("rate", out var rate))
        {
            if (rate.ValueKind != JsonValueKind.Number || !rate.TryGetInt32(out var r))
            {
                return RealtimeError.InvalidType($"{at}.rate", "an integer", rate);
            }
            if (r != 24000)
            {
                return RealtimeError.InvalidValue($"{at}.rate", r.ToString(System.Globalization.CultureInfo.InvariantCulture), "24000");
            }
        }
        return null;
    }

    public static RealtimeError? ParseNoiseReduction(JsonElement v, string at, out JsonNode? noise)
    {
        noise = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if ((JsonRead.Object(v, at) ?? JsonRead.OnlyKnown(v, at, "type")) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("type", out var type))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(type, $"{at}.type", ["near_field", "far_field"], out var value) is { } te)
        {
            return te;
        }
        noise = new JsonObject { ["type"] = value };
        return null;
    }
}
