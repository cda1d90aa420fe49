using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// Validates a GA <c>session</c> object and merges it into a session (partial update, protocol §4).
/// The first invalid field wins and nothing is applied, like the real service (no session.updated on error).
/// Beta-shaped fields (<c>voice</c>, <c>input_audio_format</c>, <c>temperature</c>, …) are simply unknown here.
/// </summary>
internal static partial class SessionConfigParser
{
    public static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];
    public static readonly string[] TranscriptionModels =
        ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper"];
    private static readonly string[] Formats = ["audio/pcm", "audio/pcmu", "audio/pcma"];
    private static readonly string[] Modalities = ["audio", "text"];
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];
    private static readonly string[] Efforts = ["minimal", "low", "medium", "high", "xhigh"];

    /// <summary>Context the merge needs besides the JSON: whether assistant audio already exists (voice lock).</summary>
    public readonly record struct UpdateContext(bool AssistantAudioPresent);

    public static RealtimeError? Apply(JsonElement session, SessionConfig target, UpdateContext context, string path = "session")
    {
        if (JsonRead.Object(session, path) is { } notObject)
        {
            return notObject;
        }
        if (!session.TryGetProperty("type", out _))
        {
            return RealtimeError.Missing($"{path}.type");
        }

        foreach (var p in session.EnumerateObject())
        {
            if (ApplyField(p.Name, p.Value, $"{path}.{p.Name}", target, context) is { } error)
            {
                return error;
            }
        }

        // pipecat strips reasoning for non-reasoning models because the server rejects the whole update.
        if (session.TryGetProperty("reasoning", out _) && !target.AcceptsReasoning)
        {
            return RealtimeError.UnsupportedParameter($"{path}.reasoning", "is not supported with this model.");
        }
        return null;
    }

    /// <summary>Validates and applies one GA session field (the xAI dialect reuses it for the fields it shares).</summary>
    public static RealtimeError? ApplyField(string name, JsonElement v, string at, SessionConfig target, UpdateContext context) => name switch
    {
        // A realtime session cannot become a transcription session (that needs ?intent=transcription).
        "type" => JsonRead.Enum(v, at, ["realtime"], out _),
        "model" => JsonRead.String(v, at, out var model) ?? Set(() => target.Model = model),
        "output_modalities" => ParseModalities(v, at, out var modalities) ?? Set(() => target.OutputModalities = modalities),
        "instructions" => JsonRead.String(v, at, out var instructions) ?? Set(() => target.Instructions = instructions),
        "audio" => ApplyAudio(v, at, target, context),
        "tools" => ParseTools(v, at, out var tools) ?? Set(() => target.Tools = tools),
        "tool_choice" => ParseToolChoice(v, at, out var choice) ?? Set(() => target.ToolChoice = choice),
        "max_output_tokens" => ParseMaxOutputTokens(v, at, out var max) ?? Set(() => target.MaxOutputTokens = max),
        "parallel_tool_calls" => JsonRead.Bool(v, at, out var parallel) ?? Set(() => target.ParallelToolCalls = parallel),
        "reasoning" => ParseReasoning(v, at, out var reasoning) ?? Set(() => target.Reasoning = reasoning),
        "truncation" => ParseTruncation(v, at, out var truncation) ?? Set(() => target.Truncation = truncation),
        "tracing" => ParseTracing(v, at, out var tracing) ?? Set(() => target.Tracing = tracing),
        "include" => ParseInclude(v, at, out var include) ?? Set(() => target.Include = include),
        "prompt" => ParsePrompt(v, at, out var prompt) ?? Set(() => target.Prompt = prompt),
        _ => RealtimeError.UnknownParameter(at),
    };

    public static RealtimeError? Set(Action apply)
    {
        apply();
        return null;
    }

    public static RealtimeError? ParseModalities(JsonElement v, string at, out string[] modalities)
    {
        modalities = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType(at, "an array", v);
        }
        var list = new List<string>();
        var i = 0;
        foreach (var m in v.EnumerateArray())
        {
            if (JsonRead.Enum(m, $"{at}[{i++}]", Modalities, out var value) is { } error)
            {
                return error;
            }
            list.Add(value);
        }
        if (list.Count != 1)
        {
            return RealtimeError.InvalidValueMessage(at,
                $"Invalid value for '{at}': expected exactly one of 'audio' or 'text', but got {list.Count} values.");
        }
        modalities = [.. list];
        return null;
    }

    private static RealtimeError? ApplyAudio(JsonElement v, string at, SessionConfig target, UpdateContext context)
    {
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        foreach (var p in v.EnumerateObject())
        {
            var error = p.Name switch
            {
                "input" => ApplyAudioInput(p.Value, $"{at}.input", target),
                "output" => ApplyAudioOutput(p.Value, $"{at}.output", target, context),
                _ => RealtimeError.UnknownParameter($"{at}.{p.Name}"),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyAudioInput(JsonElement v, string at, SessionConfig target)
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? Set(() => target.InputFormat = format),
                "transcription" => ParseTranscription(p.Value, pat, out var transcription) ?? Set(() => target.Transcription = transcription),
                "noise_reduction" => ParseNoiseReduction(p.Value, pat, out var noise) ?? Set(() => target.NoiseReduction = noise),
                "turn_detection" => ParseTurnDetection(p.Value, pat, out var turn) ?? Set(() => target.TurnDetection = turn),
                _ => RealtimeError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static RealtimeError? ApplyAudioOutput(JsonElement v, string at, SessionConfig target, UpdateContext context)
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
                "format" => ParseFormat(p.Value, pat, out var format) ?? Set(() => target.OutputFormat = format),
                "voice" => ParseVoice(p.Value, pat, out var voice) ?? ApplyVoice(voice, target, context),
                "speed" => JsonRead.Number(p.Value, pat, 0.25, 1.5, out var speed) ?? Set(() => target.Speed = speed),
                _ => RealtimeError.UnknownParameter(pat),
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    public static RealtimeError? ApplyVoice(JsonNode voice, SessionConfig target, UpdateContext context)
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

    public static RealtimeError? ParseTranscription(JsonElement v, string at, out JsonNode? transcription, string[]? models = null)
    {
        models ??= TranscriptionModels;
        transcription = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        var result = new JsonObject { ["model"] = models[0], ["language"] = null, ["prompt"] = null };
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            switch (p.Name)
            {
                case "model":
                    if (JsonRead.Enum(p.Value, pat, models, out var model) is { } me) return me;
                    result["model"] = model;
                    break;
                case "language":
                case "prompt":
                    if (p.Value.ValueKind != JsonValueKind.Null && JsonRead.String(p.Value, pat, out _) is { } se) return se;
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "languages":
                case "keywords":
                    if (p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null)) return RealtimeError.InvalidType(pat, "an array", p.Value);
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                case "delay":
                    result[p.Name] = JsonNode.Parse(p.Value.GetRawText());
                    break;
                default:
                    return RealtimeError.UnknownParameter(pat);
            }
        }
        transcription = result;
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

    public static RealtimeError? ParseTurnDetection(JsonElement v, string at, out TurnDetectionConfig? turn)
    {
        turn = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["server_vad", "semantic_vad"], out var type) is { } te)
        {
            return te;
        }
        // A new turn_detection object replaces the old one; omitted fields take their defaults.
        var config = new TurnDetectionConfig { Type = type };
        var known = type == "server_vad"
            ? new[] { "type", "threshold", "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms", "create_response", "interrupt_response" }
            : new[] { "type", "eagerness", "create_response", "interrupt_response" };
        if (JsonRead.OnlyKnown(v, at, known) is { } unknown)
        {
            return unknown;
        }
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            RealtimeError? error = null;
            switch (p.Name)
            {
                case "threshold":
                    error = JsonRead.Number(p.Value, pat, 0, 1, out var threshold);
                    config = config with { Threshold = threshold };
                    break;
                case "prefix_padding_ms":
                    error = JsonRead.Int(p.Value, pat, 0, 10_000, out var prefix);
                    config = config with { PrefixPaddingMs = prefix };
                    break;
                case "silence_duration_ms":
                    error = JsonRead.Int(p.Value, pat, 0, 10_000, out var silence);
                    config = config with { SilenceDurationMs = silence };
                    break;
                case "idle_timeout_ms":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        config = config with { IdleTimeoutMs = null };
                        break;
                    }
                    error = JsonRead.Int(p.Value, pat, 5_000, 30_000, out var idle);
                    config = config with { IdleTimeoutMs = idle };
                    break;
                case "create_response":
                    error = JsonRead.Bool(p.Value, pat, out var create);
                    config = config with { CreateResponse = create };
                    break;
                case "interrupt_response":
                    error = JsonRead.Bool(p.Value, pat, out var interrupt);
                    config = config with { InterruptResponse = interrupt };
                    break;
                case "eagerness":
                    error = JsonRead.Enum(p.Value, pat, ["low", "medium", "high", "auto"], out var eagerness);
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

    public static RealtimeError? ParseTools(JsonElement v, string at, out JsonArray tools)
    {
        tools = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType(at, "an array", v);
        }
        var i = 0;
        foreach (var tool in v.EnumerateArray())
        {
            var tat = $"{at}[{i++}]";
            if (ParseTool(tool, tat) is { } error)
            {
                return error;
            }
            tools.Add(JsonNode.Parse(tool.GetRawText()));
        }
        return null;
    }

    private static RealtimeError? ParseTool(JsonElement tool, string at)
    {
        if (JsonRead.Object(tool, at) is { } e)
        {
            return e;
        }
        if (!tool.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["function", "mcp"], out var type) is { } te)
        {
            return te;
        }
        if (type == "mcp")
        {
            if (JsonRead.OnlyKnown(tool, at, "type", "server_label", "server_url", "connector_id", "authorization", "headers",
                    "allowed_tools", "require_approval", "server_description") is { } unknown)
            {
                return unknown;
            }
            return tool.TryGetProperty("server_label", out var label)
                ? JsonRead.String(label, $"{at}.server_label", out _)
                : RealtimeError.Missing($"{at}.server_label");
        }

        if (JsonRead.OnlyKnown(tool, at, "type", "name", "description", "parameters") is { } unknownField)
        {
            return unknownField;
        }
        if (!tool.TryGetProperty("name", out var nameEl))
        {
            return RealtimeError.Missing($"{at}.name");
        }
        if (JsonRead.String(nameEl, $"{at}.name", out var name) is { } ne)
        {
            return ne;
        }
        if (!FunctionName().IsMatch(name))
        {
            return RealtimeError.InvalidValueMessage($"{at}.name",
                $"Invalid '{at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
        }
        if (tool.TryGetProperty("description", out var description))
        {
            if (JsonRead.String(description, $"{at}.description", out var text) is { } de)
            {
                return de;
            }
            if (text.Length > 1024)
            {
                return RealtimeError.StringTooLong($"{at}.description", 1024, text.Length);
            }
        }
        if (tool.TryGetProperty("parameters", out var parameters) && JsonRead.Object(parameters, $"{at}.parameters") is { } pe)
        {
            return pe;
        }
        return null;
    }

    public static RealtimeError? ParseToolChoice(JsonElement v, string at, out JsonNode choice)
    {
        choice = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (JsonRead.Enum(v, at, ToolChoiceModes, out var mode) is { } e)
            {
                return e;
            }
            choice = JsonValue.Create(mode);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            return RealtimeError.InvalidType(at, "one of a string or an object", v);
        }
        if (!v.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["function", "mcp"], out var type) is { } te)
        {
            return te;
        }
        var known = type == "function" ? new[] { "type", "name" } : new[] { "type", "server_label", "name" };
        if (JsonRead.OnlyKnown(v, at, known) is { } unknown)
        {
            return unknown;
        }
        foreach (var required in type == "function" ? new[] { "name" } : new[] { "server_label" })
        {
            if (!v.TryGetProperty(required, out var r))
            {
                return RealtimeError.Missing($"{at}.{required}");
            }
            if (JsonRead.String(r, $"{at}.{required}", out _) is { } re)
            {
                return re;
            }
        }
        choice = JsonNode.Parse(v.GetRawText())!;
        return null;
    }

    public static RealtimeError? ParseMaxOutputTokens(JsonElement v, string at, out int? max)
    {
        max = null;
        if (v.ValueKind == JsonValueKind.String)
        {
            return JsonRead.Enum(v, at, ["inf"], out _);
        }
        if (v.ValueKind != JsonValueKind.Number)
        {
            return RealtimeError.InvalidType(at, "one of an integer or 'inf'", v);
        }
        var error = JsonRead.Int(v, at, 1, 4096, out var n);
        max = n;
        return error;
    }

    public static RealtimeError? ParseReasoning(JsonElement v, string at, out JsonNode? reasoning)
    {
        reasoning = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if ((JsonRead.Object(v, at) ?? JsonRead.OnlyKnown(v, at, "effort")) is { } e)
        {
            return e;
        }
        if (v.TryGetProperty("effort", out var effort) && JsonRead.Enum(effort, $"{at}.effort", Efforts, out _) is { } ee)
        {
            return ee;
        }
        reasoning = JsonNode.Parse(v.GetRawText());
        return null;
    }

    private static RealtimeError? ParseTruncation(JsonElement v, string at, out JsonNode truncation)
    {
        truncation = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (JsonRead.Enum(v, at, ["auto", "disabled"], out var mode) is { } e)
            {
                return e;
            }
            truncation = JsonValue.Create(mode);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            return RealtimeError.InvalidType(at, "one of a string or an object", v);
        }
        if (JsonRead.OnlyKnown(v, at, "type", "retention_ratio", "token_limits") is { } unknown)
        {
            return unknown;
        }
        if (!v.TryGetProperty("type", out var type))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(type, $"{at}.type", ["retention_ratio"], out _) is { } te)
        {
            return te;
        }
        if (!v.TryGetProperty("retention_ratio", out var ratio))
        {
            return RealtimeError.Missing($"{at}.retention_ratio");
        }
        if (JsonRead.Number(ratio, $"{at}.retention_ratio", 0, 1, out _) is { } re)
        {
            return re;
        }
        truncation = JsonNode.Parse(v.GetRawText())!;
        return null;
    }

    private static RealtimeError? ParseTracing(JsonElement v, string at, out JsonNode? tracing)
    {
        tracing = null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var error = JsonRead.Enum(v, at, ["auto"], out _);
                tracing = JsonValue.Create("auto");
                return error;
            case JsonValueKind.Object:
                if (JsonRead.OnlyKnown(v, at, "workflow_name", "group_id", "metadata") is { } unknown)
                {
                    return unknown;
                }
                tracing = JsonNode.Parse(v.GetRawText());
                return null;
            default:
                return RealtimeError.InvalidType(at, "one of a string or an object", v);
        }
    }

    private static RealtimeError? ParseInclude(JsonElement v, string at, out JsonNode? include)
    {
        include = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType(at, "an array", v);
        }
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (JsonRead.Enum(item, $"{at}[{i++}]", ["item.input_audio_transcription.logprobs"], out _) is { } e)
            {
                return e;
            }
        }
        include = JsonNode.Parse(v.GetRawText());
        return null;
    }

    public static RealtimeError? ParsePrompt(JsonElement v, string at, out JsonNode? prompt)
    {
        prompt = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if ((JsonRead.Object(v, at) ?? JsonRead.OnlyKnown(v, at, "id", "version", "variables")) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("id", out var id))
        {
            return RealtimeError.Missing($"{at}.id");
        }
        if (JsonRead.String(id, $"{at}.id", out _) is { } ie)
        {
            return ie;
        }
        prompt = JsonNode.Parse(v.GetRawText());
        return null;
    }
}
