namespace VoicePlatform.Insights.Queries;

/// <summary>A time series' metric: a count, a rate over its denominator, or a latency percentile from the merged sketch.</summary>
public sealed record TimeseriesMetric(string Name, Func<SummaryAccumulator, (double? Value, long Count)> Evaluate)
{
    private static readonly Dictionary<string, TimeseriesMetric> Known = Build();

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static TimeseriesMetric? Find(string name) => Known.GetValueOrDefault(name);

    private static Dictionary<string, TimeseriesMetric> Build()
    {
        var metrics = new List<TimeseriesMetric>
        {
            new("turns", a => (a.Turns, a.Turns)),
            new("sessions", a => (a.Sessions, a.Sessions)),
            new("tool_calls", a => (a.ToolCalls, a.ToolCalls)),
            new("interruption_rate", a => (Rate(a.TurnsInterrupted, a.Turns), a.Turns)),
            new("cancellation_rate", a => (Rate(a.TurnsCancelled, a.Turns), a.Turns)),
            new("tool_failure_rate", a => (Rate(a.ToolFailures, a.ToolCalls), a.ToolCalls)),
            new("error_end_rate", a => (Rate(a.ErrorEnds, a.Connections), a.Connections)),
        };
        foreach (var p in new[] { 50, 90, 95, 99 })
        {
            metrics.Add(new($"response_latency_p{p}", a => (a.ResponseLatency.Percentile(p), a.ResponseLatency.Count)));
            metrics.Add(new($"first_text_latency_p{p}", a => (a.FirstTextLatency.Percentile(p), a.FirstTextLatency.Count)));
            metrics.Add(new($"tool_latency_p{p}", a => (a.ToolLatency.Percentile(p), a.ToolLatency.Count)));
        }
        return metrics.ToDictionary(m => m.Name);
    }

    private static double? Rate(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
