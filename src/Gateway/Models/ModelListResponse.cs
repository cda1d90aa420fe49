using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Models;

/// <summary>OpenAI's list shape, so SDKs' <c>models.list()</c> reads it.</summary>
public sealed record ModelListResponse([property: JsonPropertyName("data")] IReadOnlyList<ModelResponse> Data)
{
    [JsonPropertyName("object")] public string Object => "list";
}
