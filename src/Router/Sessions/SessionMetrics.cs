using System.Diagnostics.Metrics;

namespace VoicePlatform.Router.Sessions;

/// <summary>Router session metrics (meter <c>VoicePlatform.Router.Sessions</c>).</summary>
public sealed class SessionMetrics
{
    public const string MeterName = "VoicePlatform.Router.Sessions";
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _started;
    private readonly Histogram<double> _duration;

    public SessionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("voiceplatform.router.sessions.active", description: "Live provider sessions");
        _started = meter.CreateCounter<long>("voiceplatform.router.sessions.started", description: "Sessions started");
        _duration = meter.CreateHistogram<double>("voiceplatform.router.sessions.duration", "s", "Session duration by end reason");
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

    public void SessionEnded(string provider, string reason, TimeSpan duration)
    {
        _active.Add(-1, new KeyValuePair<string, object?>("provider", provider));
        _duration.Record(duration.TotalSeconds, new("provider", provider), new("reason", reason));
    }
}
