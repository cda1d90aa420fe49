namespace VoicePlatform.Insights.Aggregation;

/// <summary>What one fact adds to its hourly bucket: counters (may be negative, to take back a superseded record) and latencies.</summary>
public sealed record BucketDelta
{
    public long Turns { get; init; }
    public long TurnsInterrupted { get; init; }
    public long TurnsCancelled { get; init; }
    public long TurnsFailed { get; init; }
    public long TurnAudioOutMs { get; init; }
    public long Sessions { get; init; }
    public long Connections { get; init; }
    public long ConnectionDurationMs { get; init; }
    public long AudioInMs { get; init; }
    public long Interruptions { get; init; }
    public long FalseInterruptions { get; init; }
    public long ErrorEnds { get; init; }
    public long ToolCalls { get; init; }
    public long ToolFailures { get; init; }
    public long? ResponseLatencyMs { get; init; }
    public long? FirstTextLatencyMs { get; init; }
    public long? ToolLatencyMs { get; init; }

    public bool HasLatency => ResponseLatencyMs is not null || FirstTextLatencyMs is not null || ToolLatencyMs is not null;
}
