using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// What the model generates: <c>output_modalities</c>, <c>max_output_tokens</c> and <c>reasoning</c> (a session's
/// defaults, or one response's overrides).
/// </summary>
internal static class GenerationSettingsParser
{
    private static readonly string[] Modalities = ["audio", "text"];
    private static readonly string[] Efforts = ["minimal", "low", "medium", "high", "xhigh"];

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
}
