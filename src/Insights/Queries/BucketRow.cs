namespace VoicePlatform.Insights.Queries;

/// <summary>One hourly bucket row as stored.</summary>
public sealed record BucketRow(
    DateTimeOffset BucketStart, string Model, string Provider, string Route, string ExperimentId, string ExperimentArm,
    long Turns, long TurnsInterrupted, long TurnsCancelled, long TurnsFailed, long TurnAudioOutMs, long Sessions, long Connections,
    long ConnectionDurationMs, long AudioInMs, long Interruptions, long FalseInterruptions, long ErrorEnds, long ToolCalls, long ToolFailures,
    byte[]? ResponseLatencySketch, byte[]? FirstTextLatencySketch, byte[]? ToolLatencySketch);
