using System.Diagnostics.Metrics;

namespace VoicePlatform.Router.Sessions;

/// <summary>Router session metrics (meter <c>VoicePlatform.Router.Sessions</c>).</summary>
public sealed class SessionMetrics
{
    public const string MeterName = "VoicePlatform.Router.Sessions";
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _started;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _setup;

    public SessionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("voiceplatform.router.sessions.active", description: "Live provider sessions");
        _started = meter.CreateCounter<long>("voiceplatform.router.sessions.started", description: "Sessions started");
        _duration = meter.CreateHistogram<double>("voiceplatform.router.sessions.duration", "s", "Session duration by end reason");
        _setup = meter.CreateHistogram<double>("voiceplatform.router.sessions.setup.duration", "ms",
            "From a session stream's start frame to relaying, by phase (state, provider, tools, total) and whether it resumed",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000] });
    }

    public void SessionStarted(string provider)
    {
        var tag = new KeyValuePair<string, object?>("provider", provider);
        _active.Add(1, tag);
        _started.Add(1, tag);
    }

    /// <summary>A connect fell back to another provider: the live session counts under the one that answered.</summary>
    public void ProviderChanged(string from, string to)
    {
        if (from == to) return;
        _active.Add(-1, new KeyValuePair<string, object?>("provider", from));
        _active.Add(1, new KeyValuePair<string, object?>("provider", to));
    }

    /// <summary>
    /// A session is ready to relay: how long its start took, split into restoring state and routing (lease, checkpoint,
    /// routes), connecting the provider, and attaching tools.
    /// </summary>
    public void SetupCompleted(bool resumed, TimeSpan state, TimeSpan provider, TimeSpan tools)
    {
        var mode = new KeyValuePair<string, object?>("resumed", resumed);
        _setup.Record(state.TotalMilliseconds, new("phase", "state"), mode);
        _setup.Record(provider.TotalMilliseconds, new("phase", "provider"), mode);
        _setup.Record(tools.TotalMilliseconds, new("phase", "tools"), mode);
        _setup.Record((state + provider + tools).TotalMilliseconds, new("phase", "total"), mode);
    }

    public void SessionEnded(string provider, string reason, TimeSpan duration)
    {
        _active.Add(-1, new KeyValuePair<string, object?>("provider", provider));
        _duration.Record(duration.TotalSeconds, new("provider", provider), new("reason", reason));
    }
}
