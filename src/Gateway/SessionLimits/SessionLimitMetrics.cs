using System.Diagnostics.Metrics;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Meter <c>VoicePlatform.Gateway.SessionLimits</c>: refusals and sessions ended by limits, and every lapse in enforcement.</summary>
public sealed class SessionLimitMetrics
{
    public const string MeterName = "VoicePlatform.Gateway.SessionLimits";

    private readonly Counter<long> _refused;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _unenforced;

    public SessionLimitMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _refused = meter.CreateCounter<long>("voiceplatform.gateway.sessions.refused", description: "Session starts refused, by limit");
        _ended = meter.CreateCounter<long>("voiceplatform.gateway.sessions.ended_by_limit", description: "Live sessions ended by a limit, by limit");
        _unenforced = meter.CreateCounter<long>("voiceplatform.gateway.limits.unenforced", description: "Sessions admitted or kept without a limit check, by cause");
    }

    public void Refused(string limit) => _refused.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Ended(string limit) => _ended.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Unenforced(string cause) => _unenforced.Add(1, new KeyValuePair<string, object?>("cause", cause));
}
