using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>One interval of a series.</summary>
public sealed class TimeseriesPointResponse
{
    /// <summary>Unix seconds: the interval's start.</summary>
    [JsonPropertyName("start")] public long Start { get; init; }
    /// <summary>The metric's value; null when undefined (no latency recorded, a rate over zero).</summary>
    [JsonPropertyName("value")] public double? Value { get; init; }
    /// <summary>What the value is over: turns, sessions, tool calls, connections or latency values.</summary>
    [JsonPropertyName("count")] public long Count { get; init; }
}
