using System.Diagnostics.Metrics;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>Routing metrics (meter <c>VoicePlatform.Router.Routing</c>).</summary>
public sealed class RoutingMetrics
{
    public const string MeterName = "VoicePlatform.Router.Routing";
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _exhausted;

    public RoutingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _fallbacks = meter.CreateCounter<long>("voiceplatform.router.connect_fallbacks",
            description: "Chain steps passed over at connect (tag reason: the provider's error code, provider_timeout or circuit_open)");
        _exhausted = meter.CreateCounter<long>("voiceplatform.router.connect_chains_exhausted", description: "Connects where no step of the chain answered");
    }

    public void FellBack(ConnectAttempt attempt) =>
        _fallbacks.Add(1, new("provider", attempt.Provider), new("model", attempt.Model), new("reason", attempt.Code));

    public void Exhausted() => _exhausted.Add(1);
}
