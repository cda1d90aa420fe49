using System.Diagnostics;
using System.Diagnostics.Metrics;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Execution;

/// <summary>Invocation counts and latency by kind (built-in / webhook) and outcome. No tenant or tool tags: unbounded cardinality.</summary>
public sealed class ToolMetrics
{
    public const string MeterName = "VoicePlatform.Tools";

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;

    public ToolMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _invocations = meter.CreateCounter<long>("voiceplatform.tools.invocations", description: "Tool invocations");
        _duration = meter.CreateHistogram<double>("voiceplatform.tools.duration", unit: "ms", description: "Tool invocation latency");
    }

    public void Record(bool builtIn, ToolOutcome outcome, long latencyMs)
    {
        var tags = new TagList { { "tool.kind", builtIn ? "built_in" : "webhook" }, { "tool.outcome", ToolOutcomeNames.Of(outcome) } };
        _invocations.Add(1, tags);
        _duration.Record(latencyMs, tags);
    }
}
