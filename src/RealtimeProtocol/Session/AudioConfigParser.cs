using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.RealtimeProtocol;

/// <summary><c>session.audio</c>: input (format, transcription, noise reduction, turn detection) and output (format, voice, speed).</summary>
public static class AudioConfigParser
{
    public static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];
    private static readonly string[] TranscriptionModels =
        ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper"];
    private static readonly string[] Formats = ["audio/pcm", "audio/pcmu", "audio/pcma"];

    public static ClientError? Apply(JsonElement v, string at, RealtimeSessionConfig target, bool assistantAudioPresent)
    {
        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        foreach (var p in v.EnumerateObject())
        {
            var error = p.Name switch
            {
                "input" => ApplyAudioInput(p.Value, $"{at}.input", target),
                "output" => ApplyAudioOutput(p.Value, $"{at}.output", target, assistantAudioPresent),
                _ => ClientError.UnknownParameter($"{at}.{p.Name}"),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ClientError? ApplyAudioInput(JsonElement v, string at, RealtimeSessionConfig target)
    {
        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            var error = p.Name switch
            {
                "format" => ParseFormat(p.Value, pat, out var format) ?? SessionUpdateParser.Set(() => target.InputFormat = format),
                "transcription" => ParseTranscription(p.Value, pat, out var transcription) ?? SessionUpdateParser.Set(() => target.Transcription = transcription),
                "noise_reduction" => ParseNoiseReduction(p.Value, pat, out var noise) ?? SessionUpdateParser.Set(() => target.NoiseReduction = noise),
                "turn_detection" => ParseTurnDetection(p.Value, pat, out var turn) ?? SessionUpdateParser.Set(() => target.TurnDetection = turn),
                _ => ClientError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ClientError? ApplyAudioOutput(JsonElement v, string at, RealtimeSessionConfig target, bool assistantAudioPresent)
    {
        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            var error = p.Name switch
            {
                "format" => ParseFormat(p.Value, pat, out var format) ?? SessionUpdateParser.Set(() => target.OutputFormat = format),
                "voice" => ParseVoice(p.Value, pat, out var voice) ?? ApplyVoice(voice, target, assistantAudioPresent),
                "speed" => ClientJson.Number(p.Value, pat, 0.25, 1.5, out var speed) ?? SessionUpdateParser.Set(() => target.Speed = speed),
                _ => ClientError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ClientError? ApplyVoice(JsonNode voice, RealtimeSessionConfig target, bool assistantAudioPresent)
    {
        if (assistantAudioPresent && !JsonNode.DeepEquals(voice, target.Voice))
        {
            return new ClientError("cannot_update_voice", "Cannot update a conversation's voice if assistant audio is present.", null);
        }

        target.Voice = voice;
        return null;
    }

    private static ClientError? ParseVoice(JsonElement v, string at, out JsonNode voice)
    {
        voice = JsonValue.Create("alloy");
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (ClientJson.OnlyKnown(v, at, "id") is { } unknown)
            {
                return unknown;
            }

            if (!v.TryGetProperty("id", out var id))
            {
                return ClientError.Missing($"{at}.id");
            }

            if (ClientJson.String(id, $"{at}.id", out _) is { } e)
            {
                return e;
            }

            voice = JsonNode.Parse(v.GetRawText())!;
            return null;
        }

        if (ClientJson.Enum(v, at, Voices, out var name) is { } error)
        {
            return v.ValueKind == JsonValueKind.String ? error : ClientError.InvalidType(at, "one of a string or an object", v);
        }

        voice = JsonValue.Create(name);
        return null;
    }

    private static ClientError? ParseFormat(JsonElement v, string at, out JsonNode format)
    {
        format = RealtimeSessionConfig.PcmFormat();
        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        if (!v.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        if (ClientJson.Enum(typeEl, $"{at}.type", Formats, out var type) is { } te)
        {
            return te;
        }

        if (ClientJson.OnlyKnown(v, at, type == "audio/pcm" ? ["type", "rate"] : ["type"]) is { } unknown)
        {
            return unknown;
        }

        if (v.TryGetProperty("rate", out var rate))
        {
            if (rate.ValueKind != JsonValueKind.Number || !rate.TryGetInt32(out var r))
            {
                return ClientError.InvalidType($"{at}.rate", "an integer", rate);
            }

            if (r != 24000)
            {
                return ClientError.InvalidValue($"{at}.rate", r.ToString(System.Globalization.CultureInfo.InvariantCulture), ["24000"]);
            }
        }

        format = type == "audio/pcm" ? RealtimeSessionConfig.PcmFormat() : new JsonObject { ["type"] = type };
        return null;
    }

    private static ClientError? ParseTranscription(JsonElement v, string at, out JsonNode? transcription)
    {
        transcription = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        var result = new JsonObject { ["model"] = "whisper-1", ["language"] = null, ["prompt"] = null };
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            switch (p.Name)
            {
                case "model":
                    if (ClientJson.Enum(p.Value, pat, TranscriptionModels, out var model) is { } me)
                    {
                        return me;
                    }

                    result["model"] = model;
                    break;
                case "language" or "prompt":
                    if (p.Value.ValueKind != JsonValueKind.Null && ClientJson.String(p.Value, pat, out _) is { } se)
                    {
                        return se;
                    }

                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "languages" or "keywords":
                    if (p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
                    {
                        return ClientError.InvalidType(pat, "an array", p.Value);
                    }

                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "delay":
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                default:
                    return ClientError.UnknownParameter(pat);
            }
        }

        transcription = result;
        return null;
    }

    private static ClientError? ParseNoiseReduction(JsonElement v, string at, out JsonNode? noise)
    {
        noise = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if ((ClientJson.Object(v, at) ?? ClientJson.OnlyKnown(v, at, "type")) is { } e)
        {
            return e;
        }

        if (!v.TryGetProperty("type", out var type))
        {
            return ClientError.Missing($"{at}.type");
        }

        if (ClientJson.Enum(type, $"{at}.type", ["near_field", "far_field"], out var value) is { } te)
        {
            return te;
        }

        noise = new JsonObject { ["type"] = value };
        return null;
    }

    private static ClientError? ParseTurnDetection(JsonElement v, string at, out TurnDetectionSettings? turn)
    {
        turn = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        if (!v.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        if (ClientJson.Enum(typeEl, $"{at}.type", ["server_vad", "semantic_vad"], out var type) is { } te)
        {
            return te;
        }

        // A new turn_detection object replaces the old one; omitted fields take their defaults.
        var config = new TurnDetectionSettings { Type = type };
        var unknown = type == "server_vad"
            ? ClientJson.OnlyKnown(v, at, "type", "threshold", "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms", "create_response", "interrupt_response")
            : ClientJson.OnlyKnown(v, at, "type", "eagerness", "create_response", "interrupt_response");
        if (unknown is not null)
        {
            return unknown;
        }

        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            ClientError? error = null;
            switch (p.Name)
            {
                case "threshold":
                    error = ClientJson.Number(p.Value, pat, 0, 1, out var threshold);
                    config = config with { Threshold = threshold };
                    break;
                case "prefix_padding_ms":
                    error = ClientJson.Int(p.Value, pat, 0, 10_000, out var prefix);
                    config = config with { PrefixPaddingMs = prefix };
                    break;
                case "silence_duration_ms":
                    error = ClientJson.Int(p.Value, pat, 0, 10_000, out var silence);
                    config = config with { SilenceDurationMs = silence };
                    break;
                case "idle_timeout_ms":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        config = config with { IdleTimeoutMs = null };
                        break;
                    }

                    error = ClientJson.Int(p.Value, pat, 5_000, 30_000, out var idle);
                    config = config with { IdleTimeoutMs = idle };
                    break;
                case "create_response":
                    error = ClientJson.Bool(p.Value, pat, out var create);
                    config = config with { CreateResponse = create };
                    break;
                case "interrupt_response":
                    error = ClientJson.Bool(p.Value, pat, out var interrupt);
                    config = config with { InterruptResponse = interrupt };
                    break;
                case "eagerness":
                    error = ClientJson.Enum(p.Value, pat, ["low", "medium", "high", "auto"], out var eagerness);
                    config = config with { Eagerness = eagerness };
                    break;
            }

            if (error is not null)
            {
                return error;
            }
        }

        turn = config;
        return null;
    }
}
