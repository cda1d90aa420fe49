using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// Validates a GA <c>session</c> object and merges it into a session (partial update, protocol §4).
/// The first invalid field wins and nothing is applied, like the real service (no session.updated on error).
/// Beta-shaped fields (<c>voice</c>, <c>input_audio_format</c>, <c>temperature</c>, …) are simply unknown here.
/// </summary>
internal static class SessionConfigParser
{
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
        "audio" => AudioConfigParser.Apply(v, at, target, context),
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

    /// <summary>Applies a parsed field; null (no error), so a parse and its application read as one expression.</summary>
    public static RealtimeError? Set(Action apply)
    {
        apply();
        return null;
    }

    // The section parsers, re-exposed under the names ResponseParameters (response.create) and the xAI dialect call
    // them by, so this stays the one entry point for the GA session shape.

    public static RealtimeError? ParseModalities(JsonElement v, string at, out string[] modalities) =>
        GenerationSettingsParser.ParseModalities(v, at, out modalities);

    public static RealtimeError? ParseMaxOutputTokens(JsonElement v, string at, out int? max) =>
        GenerationSettingsParser.ParseMaxOutputTokens(v, at, out max);

    public static RealtimeError? ParseReasoning(JsonElement v, string at, out JsonNode? reasoning) =>
        GenerationSettingsParser.ParseReasoning(v, at, out reasoning);

    public static RealtimeError? ApplyVoice(JsonNode voice, SessionConfig target, UpdateContext context) =>
        AudioConfigParser.ApplyVoice(voice, target, context);

    public static RealtimeError? ParseVoice(JsonElement v, string at, out JsonNode voice) => AudioConfigParser.ParseVoice(v, at, out voice);

    public static RealtimeError? ParseFormat(JsonElement v, string at, out AudioFormat format) => AudioConfigParser.ParseFormat(v, at, out format);

    public static RealtimeError? ParseNoiseReduction(JsonElement v, string at, out JsonNode? noise) =>
        AudioConfigParser.ParseNoiseReduction(v, at, out noise);

    public static RealtimeError? ParseTranscription(JsonElement v, string at, out JsonNode? transcription, string[]? models = null) =>
        TranscriptionConfigParser.Parse(v, at, out transcription, models);

    public static RealtimeError? ParseTurnDetection(JsonElement v, string at, out TurnDetectionConfig? turn) =>
        TurnDetectionParser.Parse(v, at, out turn);

    public static RealtimeError? ParseTools(JsonElement v, string at, out JsonArray tools) => ToolsParser.ParseTools(v, at, out tools);

    public static RealtimeError? ParseToolChoice(JsonElement v, string at, out JsonNode choice) => ToolsParser.ParseToolChoice(v, at, out choice);

    // ---- truncation, tracing, include, prompt ----

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
