using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Routing.Storage;

namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>
/// Tenants' routing snapshots, cached per Router instance. A change made through any Router is announced on a Redis
/// channel and drops the tenant's snapshot everywhere at once; the snapshot's lifetime
/// (<see cref="RoutingOptions.CacheLifetime"/>) bounds staleness when an announcement is missed (Redis unreachable).
/// </summary>
public sealed class RoutingCache(RouteStore routes, ExperimentStore experiments, IConnectionMultiplexer redis, IOptions<RoutingOptions> options,
    TimeProvider time, ILogger<RoutingCache> logger) : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("voiceplatform:routing:changed");

    private readonly ConcurrentDictionary<Guid, (RoutingSnapshot Snapshot, long LoadedAt)> _snapshots = new();

    public async Task<RoutingSnapshot> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (_snapshots.TryGetValue(tenantId, out var cached) && time.GetElapsedTime(cached.LoadedAt) < options.Value.CacheLifetime)
            return cached.Snapshot;
        var loadedAt = time.GetTimestamp();
        var snapshot = new RoutingSnapshot(
            (await routes.ListAsync(tenantId, cancellationToken)).ToDictionary(r => r.Definition.Name, r => r.Definition, StringComparer.Ordinal),
            (await experiments.RunningAsync(tenantId, cancellationToken)).ToDictionary(e => e.Definition.Route, StringComparer.Ordinal));
        _snapshots[tenantId] = (snapshot, loadedAt);
        return snapshot;
    }

    /// <summary>The tenant's routing changed here: forget it locally and tell every other Router.</summary>
    public async Task ChangedAsync(Guid tenantId)
    {
        _snapshots.TryRemove(tenantId, out _);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, tenantId.ToString());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Routing change for tenant {TenantId} not announced ({Error}); other Routers see it within {Lifetime}", tenantId, e.Message, options.Value.CacheLifetime);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().SubscribeAsync(Channel, (channel, tenant) =>
        {
            if (Guid.TryParse(tenant.ToString(), out var tenantId)) _snapshots.TryRemove(tenantId, out _);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}
