using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>A summary of the tenant's session quality over a range (whole hours), per group.</summary>
public sealed class InsightsSummaryResponse
{
    [JsonPropertyName("object")] public string Object { get; init; } = "insights.summary";
    /// <summary>Unix seconds: the start of the first hour covered.</summary>
    [JsonPropertyName("from")] public long From { get; init; }
    /// <summary>Unix seconds: the end of the last hour covered.</summary>
    [JsonPropertyName("to")] public long To { get; init; }
    [JsonPropertyName("group_by")] public required string GroupBy { get; init; }
    [JsonPropertyName("data")] public required IReadOnlyList<InsightsGroupResponse> Data { get; init; }
}
