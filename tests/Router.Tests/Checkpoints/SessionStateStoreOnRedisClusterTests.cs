using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Checkpoints;

/// <summary>
/// Session state on a real three-master Redis Cluster (production may run one): every script (acquire, renew, fenced
/// checkpoint, release), the batched load and the multi-key delete touch only the session's hash-tagged keys, so they
/// work whichever node owns the session.
/// </summary>
public sealed class SessionStateStoreOnRedisClusterTests : IAsyncLifetime
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
    public async Task Sessions_on_every_node_go_through_their_whole_lease_and_checkpoint_life()
    {
        var store = new SessionStateStore(_redis, Options.Create(new ContinuityOptions { LeaseDuration = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromMinutes(5) }));
        var sessions = Enumerable.Range(0, 12).Select(_ => $"sess_{Guid.NewGuid():N}").ToList();
        var owners = sessions.Select(id => _redis.GetServer(_redis.GetEndPoints().First()).ClusterConfiguration!.GetBySlot((RedisKey)$"session:{{{id}}}:state")!.EndPoint).Distinct().Count();
        Assert.True(owners >= 2, $"the sessions should land on several nodes (got {owners})");

        foreach (var id in sessions)
        {
            var a = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
            Assert.NotNull(a);
            Assert.Null(await store.TryAcquireAsync(id, "router-b", takeOver: false));
            Assert.True(await store.RenewAsync(a));
            Assert.True(await store.CheckpointAsync(a, new Dictionary<string, string> { ["tenant"] = "t1", ["turns"] = "1" }, ["{\"id\":\"i1\"}"]));

            var b = (await store.TryAcquireAsync(id, "router-b", takeOver: true))!;
            Assert.True(b.Token > a.Token);
            Assert.False(await store.CheckpointAsync(a, new Dictionary<string, string> { ["turns"] = "2a" }));
            Assert.True(await store.CheckpointAsync(b, new Dictionary<string, string> { ["turns"] = "2b" }, ["{\"id\":\"i2\"}"]));
            Assert.True(await store.CheckpointAsync(b, replaceHistory: ["{\"id\":\"i2\"}"]));

            var snapshot = (await store.LoadAsync(id))!;
            Assert.Equal("2b", snapshot.Field("turns"));
            Assert.Equal(["{\"id\":\"i2\"}"], snapshot.History);
            Assert.Equal("router-b", snapshot.Owner);

            await store.ReleaseAsync(b);
            Assert.Null((await store.LoadAsync(id))!.Owner);
            await store.DeleteAsync(id);
            Assert.Null(await store.LoadAsync(id));
        }
    }

    [Fact]
    public async Task The_cluster_refuses_a_script_whose_keys_span_slots_so_the_check_has_teeth()
    {
        var db = _redis.GetDatabase();
        RedisKey first = "session:{a}:state", second = "session:{b}:state";
        Assert.NotEqual(_redis.HashSlot(first), _redis.HashSlot(second));
        // StackExchange.Redis refuses it before sending (RedisCommandException), as the server would (CROSSSLOT).
        var refused = await Assert.ThrowsAsync<RedisCommandException>(() =>
            db.ScriptEvaluateAsync("return redis.call('EXISTS', KEYS[1], KEYS[2])", [first, second]));
        Assert.Contains("single slot", refused.Message, StringComparison.OrdinalIgnoreCase);
        var serverRefused = await Assert.ThrowsAsync<RedisServerException>(() =>
            db.ExecuteAsync("EVAL", "return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, (string)first!, (string)second!));
        Assert.Contains("CROSSSLOT", serverRefused.Message, StringComparison.Ordinal);
    }
}
