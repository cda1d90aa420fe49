using StackExchange.Redis;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>
/// Concurrency slots and start rates on a real three-master Redis Cluster (production may run one): the admit, renew
/// and count scripts touch only keys hash-tagged with the tenant, so they work whichever node owns the tenant.
/// </summary>
public sealed class SessionSlotsOnRedisClusterTests : IAsyncLifetime
{
    private RedisCluster _cluster = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync();
        _redis = await _cluster.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Tenants_on_every_node_are_admitted_up_to_their_limits_counted_renewed_and_released()
    {
        var slots = new SessionSlots(_redis);
        var lease = TimeSpan.FromSeconds(30);
        var tenants = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var configuration = _redis.GetServer(_redis.GetEndPoints().First()).ClusterConfiguration!;
        Assert.True(tenants.Select(t => configuration.GetBySlot(SessionSlotOwner.TenantSessionsKey(t))!.EndPoint).Distinct().Count() >= 2,
            "the tenants should land on several nodes");

        foreach (var tenant in tenants)
        {
            var limits = new KeySessionLimits(new Gateway.SessionLimits.SessionLimits(2, 3), new Gateway.SessionLimits.SessionLimits(null, null));
            var owners = Enumerable.Range(0, 4).Select(i => new SessionSlotOwner(tenant, "key1", $"sess_{i}")).ToList();

            Assert.Equal(SlotRefusal.None, (await slots.TryAdmitAsync(owners[0], limits, lease, countStart: true)).Refusal);
            Assert.Equal(SlotRefusal.None, (await slots.TryAdmitAsync(owners[1], limits, lease, countStart: true)).Refusal);
            Assert.Equal(SlotRefusal.TenantConcurrency, (await slots.TryAdmitAsync(owners[2], limits, lease, countStart: true)).Refusal);
            Assert.Equal(2, await slots.CountTenantSessionsAsync(tenant));

            await slots.RenewAsync(owners[0], lease);
            await slots.ReleaseAsync(owners[1]);
            Assert.Equal(1, await slots.CountTenantSessionsAsync(tenant));
            Assert.Equal(SlotRefusal.None, (await slots.TryAdmitAsync(owners[2], limits, lease, countStart: true)).Refusal);
            // The fourth start within a minute is refused by the start rate (3 per minute), whatever the slots say.
            await slots.ReleaseAsync(owners[2]);
            Assert.Equal(SlotRefusal.TenantStartRate, (await slots.TryAdmitAsync(owners[3], limits, lease, countStart: true)).Refusal);
        }
    }
}
