using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>One group's series: only intervals with data, in time order.</summary>
public sealed class TimeseriesSeriesResponse
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("points")] public required IReadOnlyList<TimeseriesPointResponse> Points { get; init; }
}
