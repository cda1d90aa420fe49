using System.Diagnostics.Metrics;

namespace VoicePlatform.Router.Events;

/// <summary>Spool metrics (meter <c>VoicePlatform.Router.Events</c>).</summary>
public sealed class EventSpoolMetrics
{
    public const string MeterName = "VoicePlatform.Router.Events";
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _forwarded;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _direct;
    private long _length;

    public EventSpoolMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _spooled = meter.CreateCounter<long>("voiceplatform.router.events.spooled", description: "Events written to the Redis spool");
        _forwarded = meter.CreateCounter<long>("voiceplatform.router.events.forwarded", description: "Spooled events published to the bus");
        _failures = meter.CreateCounter<long>("voiceplatform.router.events.failures", description: "Failed spool writes or publishes, by stage");
        _direct = meter.CreateCounter<long>("voiceplatform.router.events.published_directly", description: "Events published without the spool (Redis down)");
        meter.CreateObservableGauge("voiceplatform.router.events.spool_length", () => Volatile.Read(ref _length), description: "Entries in the spool stream (last seen)");
    }

    public void Spooled(string type) => _spooled.Add(1, new KeyValuePair<string, object?>("type", type));
    public void Forwarded(string type) => _forwarded.Add(1, new KeyValuePair<string, object?>("type", type));
    public void Failed(string stage) => _failures.Add(1, new KeyValuePair<string, object?>("stage", stage));
    public void PublishedDirectly(string type) => _direct.Add(1, new KeyValuePair<string, object?>("type", type));
    public void SpoolLength(long length) => Volatile.Write(ref _length, length);
}
