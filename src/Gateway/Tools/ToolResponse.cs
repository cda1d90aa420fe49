using System.Text.Json;
using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Gateway.Tools;

/// <summary>A registered tool, as the tools API returns it (never with its signing secret).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public class ToolResponse
{
    [JsonPropertyName("object")] public string Object { get; init; } = "tool";
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("parameters")] public required JsonElement Parameters { get; init; }
    [JsonPropertyName("webhook_url")] public required string WebhookUrl { get; init; }
    [JsonPropertyName("timeout_ms")] public required int TimeoutMs { get; init; }
    [JsonPropertyName("safe_to_retry")] public required bool SafeToRetry { get; init; }
    [JsonPropertyName("loggable")] public required bool Loggable { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created_at")] public required long CreatedAt { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("updated_at")] public required long UpdatedAt { get; init; }

    public static ToolResponse From(RegisteredTool tool) => new()
    {
        Name = tool.Name,
        Description = tool.Description,
        Parameters = JsonElement.Parse(tool.ParametersJson),
        WebhookUrl = tool.WebhookUrl,
        TimeoutMs = tool.TimeoutMs,
        SafeToRetry = tool.SafeToRetry,
        Loggable = tool.Loggable,
        CreatedAt = tool.CreatedAt.Seconds,
        UpdatedAt = tool.UpdatedAt.Seconds,
    };
}
