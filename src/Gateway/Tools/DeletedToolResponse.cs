using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

public sealed record DeletedToolResponse([property: JsonPropertyName("name")] string Name)
{
    [JsonPropertyName("object")] public string Object => "tool.deleted";
    [JsonPropertyName("deleted")] public bool Deleted => true;
}
