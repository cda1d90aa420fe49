using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>A tool call of the session: executed by the client (measured by the Gateway) or the server (the Tools service).</summary>
public sealed class ToolCallQualityResponse
{
    [JsonPropertyName("call_id")] public required string CallId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>client or server.</summary>
    [JsonPropertyName("executed_by")] public required string ExecutedBy { get; init; }
    /// <summary>ok, or the failure (client: unanswered; server: timeout, webhook_error, ...).</summary>
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("latency_ms")] public long LatencyMs { get; init; }
    [JsonPropertyName("occurred_at_ms")] public long OccurredAtMs { get; init; }

    public static ToolCallQualityResponse From(ToolCallQuality c) => new()
    {
        CallId = c.CallId, Name = c.ToolName, ExecutedBy = c.ExecutedBy, Outcome = c.Outcome, LatencyMs = c.LatencyMs, OccurredAtMs = c.OccurredAtUnixMs,
    };
}
