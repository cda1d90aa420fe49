using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Tools;

internal static class JsonNodeText
{
    public static string? Text(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
