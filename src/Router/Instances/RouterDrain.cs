using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoicePlatform.Router.Instances;

/// <summary>
/// Graceful drain. When the host starts stopping (SIGTERM, a deploy), the Router stops taking new sessions (they are
/// refused as unavailable and readiness turns unhealthy, so the Gateway and Kubernetes send them elsewhere) and tells
/// each live session to hand itself off: final checkpoint, lease released, and a 1012 end that makes the Gateway
/// re-attach the client to another Router — the same path as failover, with nothing in flight lost.
/// </summary>
public sealed class RouterDrain : IHealthCheck
{
    private readonly CancellationTokenSource _draining = new();

    public RouterDrain(IHostApplicationLifetime lifetime, ILogger<RouterDrain> logger)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            logger.LogInformation("Draining: handing live sessions to other Routers");
            _draining.Cancel();
        });
    }

    /// <summary>Cancelled when the Router starts draining.</summary>
    public CancellationToken Draining => _draining.Token;

    public bool IsDraining => _draining.IsCancellationRequested;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}
