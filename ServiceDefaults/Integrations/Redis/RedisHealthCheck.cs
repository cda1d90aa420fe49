using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace VoicePlatform.ServiceDefaults.Integrations.Redis;

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Answer fast when disconnected: a readiness probe that times out is worse than a clear 503.
            if (!redis.IsConnected) return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable");
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable", ex);
        }
    }
}
