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

    public void SessionEnded(string provider, string reason, TimeSpan duration)
    {
        _active.Add(-1, new KeyValuePair<string, object?>("provider", provider));
        _duration.Record(duration.TotalSeconds, new("provider", provider), new("reason", reason));
    }
}
