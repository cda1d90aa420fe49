using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

/// <summary>Body of <c>POST /v1/tools</c> and <c>PUT /v1/tools/{name}</c> (PUT replaces the whole definition).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ToolRequest
{
    [Description("^[a-zA-Z0-9_-]{1,64}$, unique per tenant. On PUT, optional and must equal the path.")]
    [JsonPropertyName("name")] public string? Name { get; init; }

    [Description("What the tool does, for the model.")]
    [JsonPropertyName("description")] public string? Description { get; init; }

    [Description("JSON Schema (type \"object\") of the arguments. Omitted means no arguments.")]
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }

    [Description("https:// URL the platform POSTs calls to (http:// only for operator allow-listed hosts).")]
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }

    [Description("Milliseconds for the whole call, retries included. Default 10000, at most 60000.")]
    [JsonPropertyName("timeout_ms")] public int? TimeoutMs { get; init; }

    [Description("Retry on 5xx, timeouts and connection errors (only if the webhook is idempotent). Default false.")]
    [JsonPropertyName("safe_to_retry")] public bool? SafeToRetry { get; init; }

    [Description("Whether arguments may appear in logs and ToolInvoked events. Default false.")]
    [JsonPropertyName("loggable")] public bool? Loggable { get; init; }
}
