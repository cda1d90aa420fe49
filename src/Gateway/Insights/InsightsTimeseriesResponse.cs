using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>A metric per hour or day, per group.</summary>
public sealed class InsightsTimeseriesResponse
{
    [JsonPropertyName("object")] public string Object { get; init; } = "insights.timeseries";
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("interval")] public required string Interval { get; init; }
    [JsonPropertyName("group_by")] public required string GroupBy { get; init; }
    [JsonPropertyName("from")] public long From { get; init; }
    [JsonPropertyName("to")] public long To { get; init; }
    [JsonPropertyName("data")] public required IReadOnlyList<TimeseriesSeriesResponse> Data { get; init; }
}
