using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoicePlatform.AppHost.Orchestration.Health;

/// <summary>
/// Re-probes an unhealthy resource every <see cref="Interval"/> for up to <see cref="Window"/> before reporting it
/// unhealthy. Aspire waits 1, 2, 3, 4, then 5 s between failed checks, so a service that comes up between two of
/// them would hold its dependents back by seconds, at every level of the start-up order; with this, they start
/// within a quarter of a second of it being ready. A healthy resource is answered at once.
/// </summary>
public sealed class PromptHealthCheck(IHealthCheck inner) : IHealthCheck
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Window;
        while (true)
        {
            var result = await inner.CheckHealthAsync(context, cancellationToken);
            if (result.Status == HealthStatus.Healthy || TimeProvider.System.GetUtcNow() >= deadline) return result;
            await Task.Delay(Interval, TimeProvider.System, cancellationToken);
        }
    }
}
