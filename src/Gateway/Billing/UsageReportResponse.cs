using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Billing;

/// <summary>
/// <c>GET /v1/usage</c>: the period [from, to), its buckets, and the total. Money is a decimal string. <c>experiment_id</c>
/// is the experiment filter, null when the usage is not limited to one experiment's sessions.
/// </summary>
public sealed record UsageReportResponse(
    [property: JsonPropertyName("group_by")] string GroupBy,
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("data")] IReadOnlyList<UsageBucketResponse> Data,
    [property: JsonPropertyName("total_cost_usd")] string TotalCostUsd)
{
    [JsonPropertyName("object")] public string Object => "list";

    [JsonPropertyName("experiment_id")] public string? ExperimentId { get; init; }
}
