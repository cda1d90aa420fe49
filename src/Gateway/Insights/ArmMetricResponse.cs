using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// A metric over an arm's sessions. <c>kind</c> <c>mean</c>: the mean, median and p90 of the sessions' values (each a
/// per-session mean, e.g. <c>response_latency_ms</c>) with a t-interval for the mean; <c>rate</c>: the share of sessions
/// (e.g. <c>interrupted</c>) with a Wilson interval.
/// </summary>
public sealed class ArmMetricResponse
{
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("sessions")] public int Sessions { get; init; }
    [JsonPropertyName("mean")] public double Mean { get; init; }
    [JsonPropertyName("median")] public double? Median { get; init; }
    [JsonPropertyName("p90")] public double? P90 { get; init; }
    [JsonPropertyName("ci_low")] public double CiLow { get; init; }
    [JsonPropertyName("ci_high")] public double CiHigh { get; init; }

    public static ArmMetricResponse From(ArmMetric metric) => new()
    {
        Metric = metric.Metric,
        Kind = metric.Kind,
        Sessions = metric.Sessions,
        Mean = metric.Mean,
        Median = metric.HasMedian ? metric.Median : null,
        P90 = metric.HasP90 ? metric.P90 : null,
        CiLow = metric.CiLow,
        CiHigh = metric.CiHigh,
    };
}
