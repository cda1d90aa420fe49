using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

public sealed record ToolListResponse([property: JsonPropertyName("data")] IReadOnlyList<ToolResponse> Data)
{
    [JsonPropertyName("object")] public string Object => "list";
}
