namespace VoicePlatform.Insights.Retention;

/// <summary>What one retention run deleted: sessions, per-event fact rows (turns, connections, tool calls, ...) and bucket rows.</summary>
public sealed record InsightsRetentionSweep(long Sessions, long Facts, long Buckets);
