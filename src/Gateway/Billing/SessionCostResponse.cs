using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary>
/// <c>GET /v1/sessions/{id}/cost</c>. <c>duration_ms</c> is the provider connection time reported with the usage;
/// <c>cost_per_minute_usd</c> is null when the session was connected for less than 10 s (a per-minute figure from a
/// few seconds would be an extrapolation) or no duration was reported. Times are Unix seconds.
/// </summary>
public sealed record SessionCostResponse(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("models")] IReadOnlyList<string> Models,
    [property: JsonPropertyName("tokens")] TokenCountsBody Tokens,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("cost_usd")] string CostUsd,
    [property: JsonPropertyName("duration_ms")] long DurationMs,
    [property: JsonPropertyName("cost_per_minute_usd")] string? CostPerMinuteUsd,
    [property: JsonPropertyName("first_usage_at")] long FirstUsageAt,
    [property: JsonPropertyName("last_usage_at")] long LastUsageAt)
{
    [JsonPropertyName("object")] public string Object => "session.cost";

    public static SessionCostResponse From(SessionCost cost) => new(
        cost.SessionId, [.. cost.Models], TokenCountsBody.From(cost.Tokens), cost.Events, cost.CostUsd, cost.DurationMs,
        cost.CostPerMinuteUsd is "" ? null : cost.CostPerMinuteUsd,
        cost.FirstUsageUnixMs / 1000, cost.LastUsageUnixMs / 1000);
}
