using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>A latency distribution in milliseconds: how many values, their percentiles (null when none) and mean.</summary>
public sealed class LatencySummaryResponse
{
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("p50")] public long? P50 { get; init; }
    [JsonPropertyName("p90")] public long? P90 { get; init; }
    [JsonPropertyName("p95")] public long? P95 { get; init; }
    [JsonPropertyName("p99")] public long? P99 { get; init; }
    [JsonPropertyName("mean")] public double? Mean { get; init; }

    public static LatencySummaryResponse From(LatencyStats? stats) => stats is null ? new() : new()
    {
        Count = stats.Count,
        P50 = stats.HasP50Ms ? stats.P50Ms : null,
        P90 = stats.HasP90Ms ? stats.P90Ms : null,
        P95 = stats.HasP95Ms ? stats.P95Ms : null,
        P99 = stats.HasP99Ms ? stats.P99Ms : null,
        Mean = stats.HasMeanMs ? Math.Round(stats.MeanMs, 3) : null,
    };
}
