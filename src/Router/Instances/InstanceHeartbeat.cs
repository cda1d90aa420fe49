using StackExchange.Redis;

namespace VoicePlatform.Router.Instances;

/// <summary>
/// Announces this Router in Redis (a key with a short TTL, refreshed), so operators and Gateways can see live replicas.
/// </summary>
public sealed class InstanceHeartbeat(IConnectionMultiplexer redis, RouterInstance instance, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = (RedisKey)$"router:instances:{instance.Id}";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(key, instance.ActiveSessions, Ttl);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Heartbeat to Redis failed: {Message}", ex.Message);
            }
            try { await Task.Delay(Interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
        // Leaving cleanly: disappear at once instead of after the TTL.
        try { await redis.GetDatabase().KeyDeleteAsync(key); } catch (RedisException) { }
    }
}
