using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>One group of a summary: counts, rates (null when their denominator is 0) and latency distributions.</summary>
public sealed class InsightsGroupResponse
{
    /// <summary>The group's model / provider / route / experiment / arm ("" for sessions without one), or the day's / hour's start (RFC 3339 UTC); "" when not grouped.</summary>
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("turns")] public long Turns { get; init; }
    [JsonPropertyName("sessions")] public long Sessions { get; init; }
    [JsonPropertyName("connections")] public long Connections { get; init; }
    [JsonPropertyName("response_latency_ms")] public required LatencySummaryResponse ResponseLatencyMs { get; init; }
    [JsonPropertyName("first_text_latency_ms")] public required LatencySummaryResponse FirstTextLatencyMs { get; init; }
    [JsonPropertyName("tool_latency_ms")] public required LatencySummaryResponse ToolLatencyMs { get; init; }
    /// <summary>Turns the user barged in on, over turns.</summary>
    [JsonPropertyName("interruption_rate")] public double? InterruptionRate { get; init; }
    /// <summary>Responses that ended cancelled, over turns.</summary>
    [JsonPropertyName("cancellation_rate")] public double? CancellationRate { get; init; }
    /// <summary>Responses that ended failed, over turns.</summary>
    [JsonPropertyName("failure_rate")] public double? FailureRate { get; init; }
    [JsonPropertyName("interruptions")] public long Interruptions { get; init; }
    [JsonPropertyName("false_interruptions")] public long FalseInterruptions { get; init; }
    [JsonPropertyName("tool_calls")] public long ToolCalls { get; init; }
    [JsonPropertyName("tool_failures")] public long ToolFailures { get; init; }
    [JsonPropertyName("tool_failure_rate")] public double? ToolFailureRate { get; init; }
    /// <summary>Connections that ended in a provider or platform error.</summary>
    [JsonPropertyName("error_ends")] public long ErrorEnds { get; init; }
    /// <summary>Error ends over connections.</summary>
    [JsonPropertyName("error_end_rate")] public double? ErrorEndRate { get; init; }
    [JsonPropertyName("audio_in_ms")] public long AudioInMs { get; init; }
    [JsonPropertyName("audio_out_ms")] public long AudioOutMs { get; init; }
    [JsonPropertyName("connection_duration_ms")] public long ConnectionDurationMs { get; init; }

    public static InsightsGroupResponse From(SummaryGroup g) => new()
    {
        Key = g.Key,
        Turns = g.Turns,
        Sessions = g.Sessions,
        Connections = g.Connections,
        ResponseLatencyMs = LatencySummaryResponse.From(g.ResponseLatency),
        FirstTextLatencyMs = LatencySummaryResponse.From(g.FirstTextLatency),
        ToolLatencyMs = LatencySummaryResponse.From(g.ToolLatency),
        InterruptionRate = Rate(g.TurnsInterrupted, g.Turns),
        CancellationRate = Rate(g.TurnsCancelled, g.Turns),
        FailureRate = Rate(g.TurnsFailed, g.Turns),
        Interruptions = g.Interruptions,
        FalseInterruptions = g.FalseInterruptions,
        ToolCalls = g.ToolCalls,
        ToolFailures = g.ToolFailures,
        ToolFailureRate = Rate(g.ToolFailures, g.ToolCalls),
        ErrorEnds = g.ErrorEnds,
        ErrorEndRate = Rate(g.ErrorEnds, g.Connections),
        AudioInMs = g.AudioInMs,
        AudioOutMs = g.AudioOutMs,
        ConnectionDurationMs = g.ConnectionDurationMs,
    };

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);
}
