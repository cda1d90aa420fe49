using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// Validates a GA <c>session</c> object and merges it into a copy of the effective session (partial update: only the
/// fields present change). The first invalid field wins and nothing is applied. Beta-shaped fields are unknown here.
/// </summary>
public static class SessionUpdateParser
{
    private static readonly string[] Modalities = ["audio", "text"];

    /// <param name="assistantAudioPresent">The voice cannot change once the assistant has spoken (as on OpenAI).</param>
    /// <param name="textOutputSupported">The catalog's TextOutput capability (native-audio models speak only).</param>
    public static ClientError? Apply(JsonElement session, RealtimeSessionConfig target, bool assistantAudioPresent, bool textOutputSupported) =>
        Apply(session, target, assistantAudioPresent, new SessionFeatures { TextOutput = textOutputSupported });

    /// <param name="assistantAudioPresent">The voice cannot change once the assistant has spoken (as on OpenAI).</param>
    /// <param name="features">What the model lets the client set: text output, <c>reasoning</c>, <c>extensions</c>.</param>
    public static ClientError? Apply(JsonElement session, RealtimeSessionConfig target, bool assistantAudioPresent, SessionFeatures features)
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
                "output_modalities" => ParseModalities(v, at, features.TextOutput, out var modalities) ?? Set(() => target.OutputModalities = modalities),
                "instructions" => ClientJson.String(v, at, out var instructions) ?? Set(() => target.Instructions = instructions),
                "audio" => AudioConfigParser.Apply(v, at, target, assistantAudioPresent),
                "tools" => ToolsParser.ParseTools(v, at, out var tools) ?? Set(() => target.Tools = tools),
                "tool_choice" => ToolsParser.ParseToolChoice(v, at, out var choice) ?? Set(() => target.ToolChoice = choice),
                "max_output_tokens" => ParseMaxOutputTokens(v, at, out var max) ?? Set(() => target.MaxOutputTokens = max),
                "truncation" => ParseTruncation(v, at, out var truncation) ?? Set(() => target.Truncation = truncation),
                "tracing" => ParseFreeForm(v, at, allowString: "auto", out var tracing) ?? Set(() => target.Tracing = tracing),
                "prompt" => ParseFreeForm(v, at, allowString: null, out var prompt) ?? Set(() => target.Prompt = prompt),
                "include" => ParseInclude(v, at, out var include) ?? Set(() => target.Include = include),
                "reasoning" => ModelFeaturesParser.ApplyReasoning(v, at, target, features),
                "extensions" => ModelFeaturesParser.ApplyExtensions(v, at, target, features),
                "parallel_tool_calls" => new ClientError("unsupported_parameter",
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

    /// <summary>Applies a parsed field; null (no error), so a parse and its application read as one expression.</summary>
    internal static ClientError? Set(Action apply)
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

        // A session's model is fixed when it opens (the route chose it; the provider connection serves it), also on resume.
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
