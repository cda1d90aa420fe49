using System.Diagnostics.Metrics;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>Gateway realtime metrics (meter <c>VoicePlatform.Gateway.Realtime</c>).</summary>
public sealed class RealtimeMetrics
{
    public const string MeterName = "VoicePlatform.Gateway.Realtime";
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _clientErrors;
    private readonly Counter<long> _reattached;
    private readonly Histogram<double> _reattachAudio;
    private readonly Histogram<double> _setup;

    public RealtimeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("voiceplatform.gateway.realtime.sessions.active", description: "Connected realtime clients");
        _sessions = meter.CreateCounter<long>("voiceplatform.gateway.realtime.sessions", description: "Realtime sessions accepted, by model");
        _reattached = meter.CreateCounter<long>("voiceplatform.gateway.realtime.reattached", description: "Sessions moved to another Router (failover, drain)");
        _clientErrors = meter.CreateCounter<long>("voiceplatform.gateway.realtime.client_errors", description: "Error events sent for bad client input, by code");
        _reattachAudio = meter.CreateHistogram<double>("voiceplatform.gateway.realtime.reattach.first_audio", unit: "ms",
            description: "From a Router stream breaking to the first audio sent to the client from the next Router");
        _setup = meter.CreateHistogram<double>("voiceplatform.gateway.realtime.setup.duration", unit: "ms",
            description: "A new session's set-up on the Gateway, from the upgrade request to session.created, by phase (and the total)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000] });
    }

    public void SessionOpened(string model)
    {
        _active.Add(1);
        _sessions.Add(1, new KeyValuePair<string, object?>("model", model));
    }

    public void SessionClosed() => _active.Add(-1);

    public void Reattached() => _reattached.Add(1);

    public void ReattachedAudioFlowing(TimeSpan sinceBreak) => _reattachAudio.Record(sinceBreak.TotalMilliseconds);

    public void SetupPhase(string phase, double milliseconds) => _setup.Record(milliseconds, new KeyValuePair<string, object?>("phase", phase));

    public void ClientError(string code) => _clientErrors.Add(1, new KeyValuePair<string, object?>("code", code));
}
