using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Validates a GA <c>session</c> object and merges it into a copy of the effective session (partial update: only the
/// fields present change). The first invalid field wins and nothing is applied. Beta-shaped fields are unknown here.
/// </summary>
internal static partial class SessionUpdateParser
{
    public static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];
    private static readonly string[] TranscriptionModels =
        ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper"];
    private static readonly string[] Formats = ["audio/pcm", "audio/pcmu", "audio/pcma"];
    private static readonly string[] Modalities = ["audio", "text"];
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];

    /// <param name="assistantAudioPresent">The voice cannot change once the assistant has spoken (as on OpenAI).</param>
    /// <param name="textOutputSupported">The catalog's TextOutput capability; native-audio Gemini models speak only.</param>
    public static ClientError? Apply(JsonElement session, RealtimeSessionConfig target, bool assistantAudioPresent, bool textOutputSupported)
    {
        const string path = "session";
        if (ClientJson.Object(session, path) is { } notObject)
        {
            return notObject;
        }

        if (!session.TryGetProperty("type", out _))
        {
            return ClientError.Missing("session.type");
        }

        foreach (var p in session.EnumerateObject())
        {
            var at = $"{path}.{p.Name}";
            var v = p.Value;
            var error = p.Name switch
            {
                "type" => ClientJson.Enum(v, at, ["realtime"], out _),
                "model" => ParseModel(v, at, target),
                "output_modalities" => ParseModalities(v, at, textOutputSupported, out var modalities) ?? Set(() => target.OutputModalities = modalities),
                "instructions" => ClientJson.String(v, at, out var instructions) ?? Set(() => target.Instructions = instructions),
                "audio" => ApplyAudio(v, at, target, assistantAudioPresent),
                "tools" => ParseTools(v, at, out var tools) ?? Set(() => target.Tools = tools),
                "tool_choice" => ParseToolChoice(v, at, out var choice) ?? Set(() => target.ToolChoice = choice),
                "max_output_tokens" => ParseMaxOutputTokens(v, at, out var max) ?? Set(() => target.MaxOutputTokens = max),
                "truncation" => ParseTruncation(v, at, out var truncation) ?? Set(() => target.Truncation = truncation),
                "tracing" => ParseFreeForm(v, at, allowString: "auto", out var tracing) ?? Set(() => target.Tracing = tracing),
                "prompt" => ParseFreeForm(v, at, allowString: null, out var prompt) ?? Set(() => target.Prompt = prompt),
                "include" => ParseInclude(v, at, out var include) ?? Set(() => target.Include = include),
                "parallel_tool_calls" or "reasoning" => new ClientError("unsupported_parameter",
                    $"Unsupported parameter: '{at}' is not supported with this model.", at),
                _ => ClientError.UnknownParameter(at),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ClientError? Set(Action apply)
    {
        apply();
        return null;
    }

    private static ClientError? ParseModel(JsonElement v, string at, RealtimeSessionConfig target)
    {
        if (ClientJson.String(v, at, out var model) is { } e)
        {
            return e;
        }

        // The upstream model cannot change within a Gemini session (not even on resume).
        return model == target.Model || model.EndsWith("/" + target.Model, StringComparison.Ordinal)
            ? null
            : ClientError.InvalidValueMessage(at, $"The model of a session cannot be changed (the session uses '{target.Model}').");
    }

    private static ClientError? ParseModalities(JsonElement v, string at, bool textOutputSupported, out string[] modalities)
    {
        modalities = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return ClientError.InvalidType(at, "an array", v);
        }

        var list = new List<string>();
        var i = 0;
        foreach (var m in v.EnumerateArray())
        {
            if (ClientJson.Enum(m, $"{at}[{i++}]", Modalities, out var value) is { } error)
            {
                return error;
            }

            list.Add(value);
        }

        if (list.Count != 1)
        {
            return ClientError.InvalidValueMessage(at, $"Invalid value for '{at}': expected exactly one of 'audio' or 'text', but got {list.Count} values.");
        }

        if (list[0] == "text" && !textOutputSupported)
        {
            return ClientError.InvalidValueMessage(at, "This model produces audio only; use output_modalities ['audio'] (the audio transcript carries the text).");
        }

        modalities = [.. list];
        return null;
    }

    private static ClientError? ApplyAudio(JsonElement v, string at, RealtimeSessionConfig target, bool assistantAudioPresent)
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? Set(() => target.InputFormat = format),
                "transcription" => ParseTranscription(p.Value, pat, out var transcription) ?? Set(() => target.Transcription = transcription),
                "noise_reduction" => ParseNoiseReduction(p.Value, pat, out var noise) ?? Set(() => target.NoiseReduction = noise),
                "turn_detection" => ParseTurnDetection(p.Value, pat, out var turn) ?? Set(() => target.TurnDetection = turn),
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? Set(() => target.OutputFormat = format),
                "voice" => ParseVoice(p.Value, pat, out var voice) ?? ApplyVoice(voice, target, assistantAudioPresent),
                "speed" => ClientJson.Number(p.Value, pat, 0.25, 1.5, out var speed) ?? Set(() => target.Speed = speed),
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

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    public static ClientError? ParseTools(JsonElement v, string at, out JsonArray tools)
    {
        tools = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return ClientError.InvalidType(at, "an array", v);
        }

        var i = 0;
        foreach (var tool in v.EnumerateArray())
        {
            if (ParseTool(tool, $"{at}[{i++}]") is { } error)
            {
                return error;
            }

            tools.Add(JsonNode.Parse(tool.GetRawText()));
        }

        return null;
    }

    private static ClientError? ParseTool(JsonElement tool, string at)
    {
        if (ClientJson.Object(tool, at) is { } e)
        {
            return e;
        }

        if (!tool.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        // MCP tools would need a router-side MCP client; Gemini Live has no remote MCP support.
        if (ClientJson.Enum(typeEl, $"{at}.type", ["function"], out _) is { } te)
        {
            return te;
        }

        if (ClientJson.OnlyKnown(tool, at, "type", "name", "description", "parameters") is { } unknown)
        {
            return unknown;
        }

        if (!tool.TryGetProperty("name", out var nameEl))
        {
            return ClientError.Missing($"{at}.name");
        }

        if (ClientJson.String(nameEl, $"{at}.name", out var name) is { } ne)
        {
            return ne;
        }

        if (!FunctionName().IsMatch(name))
        {
            return ClientError.InvalidValueMessage($"{at}.name",
                $"Invalid '{at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
        }

        if (tool.TryGetProperty("description", out var description))
        {
            if (ClientJson.String(description, $"{at}.description", out var text) is { } de)
            {
                return de;
            }

            if (text.Length > 1024)
            {
                return new ClientError("string_above_max_length",
                    $"Invalid '{at}.description': string too long. Expected a string with maximum length 1024, but got a string with length {text.Length} instead.",
                    $"{at}.description");
            }
        }

        return tool.TryGetProperty("parameters", out var parameters) ? ClientJson.Object(parameters, $"{at}.parameters") : null;
    }

    private static ClientError? ParseToolChoice(JsonElement v, string at, out JsonNode choice)
    {
        choice = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (ClientJson.Enum(v, at, ToolChoiceModes, out var mode) is { } e)
            {
                return e;
            }

            choice = JsonValue.Create(mode);
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            return ClientError.InvalidType(at, "one of a string or an object", v);
        }

        if (ClientJson.OnlyKnown(v, at, "type", "name") is { } unknown)
        {
            return unknown;
        }

        if (!v.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        if (ClientJson.Enum(typeEl, $"{at}.type", ["function"], out _) is { } te)
        {
            return te;
        }

        if (!v.TryGetProperty("name", out var nameEl))
        {
            return ClientError.Missing($"{at}.name");
        }

        if (ClientJson.String(nameEl, $"{at}.name", out _) is { } ne)
        {
            return ne;
        }

        choice = JsonNode.Parse(v.GetRawText())!;
        return null;
    }

    private static ClientError? ParseMaxOutputTokens(JsonElement v, string at, out int? max)
    {
        max = null;
        if (v.ValueKind == JsonValueKind.String)
        {
            return ClientJson.Enum(v, at, ["inf"], out _);
        }

        if (v.ValueKind != JsonValueKind.Number)
        {
            return ClientError.InvalidType(at, "one of an integer or 'inf'", v);
        }

        var error = ClientJson.Int(v, at, 1, 4096, out var n);
        max = n;
        return error;
    }

    private static ClientError? ParseTruncation(JsonElement v, string at, out JsonNode truncation)
    {
        truncation = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (ClientJson.Enum(v, at, ["auto", "disabled"], out var mode) is { } e)
            {
                return e;
            }

            truncation = JsonValue.Create(mode);
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            return ClientError.InvalidType(at, "one of a string or an object", v);
        }

        if (ClientJson.OnlyKnown(v, at, "type", "retention_ratio", "token_limits") is { } unknown)
        {
            return unknown;
        }

        truncation = JsonNode.Parse(v.GetRawText())!;
        return null;
    }

    private static ClientError? ParseFreeForm(JsonElement v, string at, string? allowString, out JsonNode? node)
    {
        node = null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String when allowString is not null:
                node = JsonValue.Create(allowString);
                return ClientJson.Enum(v, at, [allowString], out _);
            case JsonValueKind.Object:
                node = JsonNode.Parse(v.GetRawText());
                return null;
            default:
                return ClientError.InvalidType(at, allowString is null ? "an object" : "one of a string or an object", v);
        }
    }

    private static ClientError? ParseInclude(JsonElement v, string at, out JsonNode? include)
    {
        include = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            return ClientError.InvalidType(at, "an array", v);
        }

        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (ClientJson.Enum(item, $"{at}[{i++}]", ["item.input_audio_transcription.logprobs"], out _) is { } e)
            {
                return e;
            }
        }

        include = JsonNode.Parse(v.GetRawText());
        return null;
    }
}
