using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.Contracts.Json;

/// <summary>
/// How the platform writes JSON that leaves it — realtime events for clients, tool outputs, messages to providers:
/// valid JSON escaped only where JSON requires it (<see cref="MinimalJsonEncoder"/>), so a tool's <c>a+b</c> or a
/// transcript's <c>é</c> reaches the client as written instead of <c>\u002B</c> or <c>\u00E9</c>. One place, so every
/// writer on the way agrees.
/// </summary>
public static class WireJson
{
    public static JavaScriptEncoder Encoder => MinimalJsonEncoder.Instance;

    /// <summary>For <c>JsonSerializer</c> and <c>JsonNode.ToJsonString</c>. Read-only, shared.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>For a <c>Utf8JsonWriter</c>.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance };

    /// <summary><paramref name="node"/> as UTF-8 JSON.</summary>
    public static byte[] ToUtf8Bytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { Encoder = MinimalJsonEncoder.Instance };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
