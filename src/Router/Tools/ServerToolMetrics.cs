using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VoicePlatform.Router.Tools;

/// <summary>Server-side tool calls seen from the turn loop (meter <c>VoicePlatform.Router.Tools</c>).</summary>
public sealed class ServerToolMetrics
{
    public const string MeterName = "VoicePlatform.Router.Tools";
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public ServerToolMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("voiceplatform.router.tool_calls", description: "Server-side tool calls by outcome");
        _duration = meter.CreateHistogram<double>("voiceplatform.router.tool_calls.duration", "ms",
            "Time from the provider's call to its result, Tools service round trip included");
    }

    public void Record(string outcome, bool builtIn, TimeSpan elapsed)
    {
        var tags = new TagList { { "outcome", outcome }, { "built_in", builtIn } };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalMilliseconds, tags);
    }
}
