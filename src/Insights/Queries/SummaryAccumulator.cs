using VoicePlatform.Contracts.Insights;
using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Insights.Queries;

/// <summary>A group's bucket rows added up: counters summed, latency sketches merged.</summary>
public sealed class SummaryAccumulator
{
    public long Turns, TurnsInterrupted, TurnsCancelled, TurnsFailed, TurnAudioOutMs, Sessions, Connections, ConnectionDurationMs,
        AudioInMs, Interruptions, FalseInterruptions, ErrorEnds, ToolCalls, ToolFailures;

    public LatencySketch ResponseLatency { get; } = new();
    public LatencySketch FirstTextLatency { get; } = new();
    public LatencySketch ToolLatency { get; } = new();

    public void Add(BucketRow row)
    {
        Turns += row.Turns;
        TurnsInterrupted += row.TurnsInterrupted;
        TurnsCancelled += row.TurnsCancelled;
        TurnsFailed += row.TurnsFailed;
        TurnAudioOutMs += row.TurnAudioOutMs;
        Sessions += row.Sessions;
        Connections += row.Connections;
        ConnectionDurationMs += row.ConnectionDurationMs;
        AudioInMs += row.AudioInMs;
        Interruptions += row.Interruptions;
        FalseInterruptions += row.FalseInterruptions;
        ErrorEnds += row.ErrorEnds;
        ToolCalls += row.ToolCalls;
        ToolFailures += row.ToolFailures;
        if (row.ResponseLatencySketch is not null) ResponseLatency.Merge(LatencySketch.Decode(row.ResponseLatencySketch));
        if (row.FirstTextLatencySketch is not null) FirstTextLatency.Merge(LatencySketch.Decode(row.FirstTextLatencySketch));
        if (row.ToolLatencySketch is not null) ToolLatency.Merge(LatencySketch.Decode(row.ToolLatencySketch));
    }

    public SummaryGroup ToGroup(string key) => new()
    {
        Key = key,
        Turns = Turns,
        TurnsInterrupted = TurnsInterrupted,
        TurnsCancelled = TurnsCancelled,
        TurnsFailed = TurnsFailed,
        Sessions = Sessions,
        Connections = Connections,
        ErrorEnds = ErrorEnds,
        Interruptions = Interruptions,
        FalseInterruptions = FalseInterruptions,
        ToolCalls = ToolCalls,
        ToolFailures = ToolFailures,
        AudioInMs = AudioInMs,
        AudioOutMs = TurnAudioOutMs,
        ConnectionDurationMs = ConnectionDurationMs,
        ResponseLatency = Stats(ResponseLatency),
        FirstTextLatency = Stats(FirstTextLatency),
        ToolLatency = Stats(ToolLatency),
    };

    public static LatencyStats Stats(LatencySketch sketch)
    {
        var stats = new LatencyStats { Count = sketch.Count };
        if (sketch.Count == 0) return stats;
        stats.P50Ms = sketch.Percentile(50)!.Value;
        stats.P90Ms = sketch.Percentile(90)!.Value;
        stats.P95Ms = sketch.Percentile(95)!.Value;
        stats.P99Ms = sketch.Percentile(99)!.Value;
        stats.MeanMs = sketch.Mean!.Value;
        return stats;
    }
}
