using System.Globalization;
using System.Text.Json.Nodes;

namespace VoicePlatform.Cli.Output;

/// <summary>How JSON values of the API read in a table cell.</summary>
public static class JsonText
{
    public static string Cell(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary>Unix seconds as a UTC time, e.g. <c>2026-12-04 22:47:21</c>.</summary>
    public static string UnixTime(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : Cell(node);

    public static string Milliseconds(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var ms)
            ? (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : Cell(node);
}
