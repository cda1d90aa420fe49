using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.Console.Components.Pages.Models;

/// <summary>
/// A route's or arm's target as one line of text: a model or route name (<c>gpt-realtime-2</c>), a fallback chain
/// (<c>gpt-realtime-2, gemini-3.1-flash-live</c>) or, for session defaults, the target's JSON itself.
/// </summary>
public static class TargetText
{
    public static JsonNode? Parse(string? text, out string? error)
    {
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) { error = "Enter a model, a route, or a fallback chain (comma-separated)."; return null; }
        if (trimmed[0] is '{' or '"')
        {
            try { return JsonNode.Parse(trimmed); }
            catch (JsonException e) { error = $"Not valid JSON: {e.Message}"; return null; }
        }
        var chain = trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return chain.Length == 1 ? JsonValue.Create(chain[0]) : new JsonObject { ["fallback"] = new JsonArray([.. chain.Select(m => (JsonNode)JsonValue.Create(m))]) };
    }

    public static string Format(JsonNode? target) => target switch
    {
        JsonValue value when value.TryGetValue<string>(out var name) => name,
        JsonObject plain when plain.Count == 1 && plain["model"] is JsonValue model && model.TryGetValue<string>(out var modelName) => modelName,
        JsonObject chain when chain.Count == 1 && chain["fallback"] is JsonArray models && models.All(m => m is JsonValue) =>
            string.Join(", ", models.Select(m => m!.GetValue<string>())),
        null => "",
        _ => target.ToJsonString(),
    };
}
