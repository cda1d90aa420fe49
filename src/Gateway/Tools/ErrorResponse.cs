using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

/// <summary>OpenAI's error shape (what <see cref="ClientErrors.OpenAIError"/> writes), for the OpenAPI document.</summary>
public sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorDetail Error);

public sealed record ErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
