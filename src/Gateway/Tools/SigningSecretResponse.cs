using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

/// <summary>A newly issued signing secret (<c>POST /v1/tools/{name}/rotate_secret</c>), shown once.</summary>
public sealed record SigningSecretResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("signing_secret")] string SigningSecret);
