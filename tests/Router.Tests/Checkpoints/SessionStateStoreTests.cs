using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Checkpoints;

/// <summary>Session state, leases and fencing against a real Redis.</summary>
public class SessionStateStoreTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync((await BackingServices.GetAsync()).RedisConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private SessionStateStore Store(TimeSpan? lease = null, TimeSpan? retention = null) => new(_redis, Options.Create(new ContinuityOptions
    {
        LeaseDuration = lease ?? TimeSpan.FromSeconds(10),
        Retention = retention ?? TimeSpan.FromMinutes(5),
    }));

    private static string NewSessionId() => $"sess_{Guid.NewGuid():N}";

    [Fact]
    public async Task Checkpoints_are_loaded_back_in_order()
    {
        var store = Store();
        var id = NewSessionId();
        var lease = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        Assert.True(await store.CheckpointAsync(lease, new Dictionary<string, string> { ["tenant"] = "t1", ["config"] = "{\"instructions\":\"hi\"}" }, ["{\"id\":\"i1\"}"]));
        Assert.True(await store.CheckpointAsync(lease, new Dictionary<string, string> { ["gemini_handle"] = "h2" }, ["{\"id\":\"i2\"}", "{\"id\":\"i3\"}"]));

        var snapshot = (await store.LoadAsync(id))!;
        Assert.Equal("t1", snapshot.Field("tenant"));
        Assert.Equal("h2", snapshot.Field("gemini_handle"));
        Assert.Equal(["{\"id\":\"i1\"}", "{\"id\":\"i2\"}", "{\"id\":\"i3\"}"], snapshot.History);
        Assert.Equal("router-a", snapshot.Owner);
        Assert.Equal(lease.Token, snapshot.FenceToken);

        Assert.True(await store.CheckpointAsync(lease, replaceHistory: ["{\"id\":\"i3\"}"]));
        Assert.Equal(["{\"id\":\"i3\"}"], (await store.LoadAsync(id))!.History);
    }

    [Fact]
    public async Task A_held_lease_is_refused_to_others_and_renewed_by_its_owner()
    {
        var store = Store();
        var id = NewSessionId();
        var a = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        Assert.Null(await store.TryAcquireAsync(id, "router-b", takeOver: false));
        Assert.True(await store.RenewAsync(a));
        // The same owner asking again keeps its token.
        Assert.Equal(a.Token, (await store.TryAcquireAsync(id, "router-a", takeOver: false))!.Token);
    }

    [Fact]
    public async Task An_expired_lease_can_be_taken_and_the_old_owner_is_fenced_off()
    {
        var store = Store(lease: TimeSpan.FromMilliseconds(300));
        var id = NewSessionId();
        var a = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        await Task.Delay(600);
        var b = (await store.TryAcquireAsync(id, "router-b", takeOver: false))!;
        Assert.True(b.Token > a.Token);
        Assert.False(await store.RenewAsync(a));
        Assert.False(await store.CheckpointAsync(a, new Dictionary<string, string> { ["x"] = "from-a" }));
        Assert.True(await store.CheckpointAsync(b, new Dictionary<string, string> { ["x"] = "from-b" }));
        Assert.Equal("from-b", (await store.LoadAsync(id))!.Field("x"));
    }

    [Fact]
    public async Task Two_routers_racing_for_one_session_exactly_one_drives_it()
    {
        var store = Store();
        for (var round = 0; round < 20; round++)
        {
            var id = NewSessionId();
            var contenders = Enumerable.Range(0, 8).Select(i => store.TryAcquireAsync(id, $"router-{i}", takeOver: false)).ToArray();
            var winners = (await Task.WhenAll(contenders)).Where(l => l is not null).ToList();
            Assert.Single(winners);
        }
    }

    [Fact]
    public async Task Take_over_supersedes_a_live_owner_whose_writes_then_fail()
    {
        var store = Store();
        var id = NewSessionId();
        var a = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        Assert.True(await store.CheckpointAsync(a, new Dictionary<string, string> { ["turns"] = "1" }, ["{\"id\":\"i1\"}"]));

        var b = (await store.TryAcquireAsync(id, "router-b", takeOver: true))!;
        Assert.True(b.Token > a.Token);

        // Racing writes after the take-over: only the new owner's land, and the old owner learns it lost.
        var writes = await Task.WhenAll(
            store.CheckpointAsync(a, new Dictionary<string, string> { ["turns"] = "2a" }, ["{\"id\":\"a2\"}"]),
            store.CheckpointAsync(b, new Dictionary<string, string> { ["turns"] = "2b" }, ["{\"id\":\"b2\"}"]));
        Assert.Equal([false, true], writes);
        Assert.False(await store.RenewAsync(a));
        var snapshot = (await store.LoadAsync(id))!;
        Assert.Equal("2b", snapshot.Field("turns"));
        Assert.Equal(["{\"id\":\"i1\"}", "{\"id\":\"b2\"}"], snapshot.History);
        Assert.Equal("router-b", snapshot.Owner);
    }

    [Fact]
    public async Task Released_state_expires_after_the_retention_period()
    {
        // Redis expires the key on its own clock: long enough for the load right after the release on a busy machine
        // (500 ms was not: the state was once gone before it), short enough to watch it go.
        var store = Store(retention: TimeSpan.FromSeconds(2));
        var id = NewSessionId();
        var lease = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        Assert.True(await store.CheckpointAsync(lease, new Dictionary<string, string> { ["tenant"] = "t" }, ["{}"]));
        await store.ReleaseAsync(lease);
        Assert.Null((await store.LoadAsync(id))!.Owner);
        Assert.Null(await Poll.UntilAsync(() => store.LoadAsync(id), snapshot => snapshot is null, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_owner_whose_state_redis_lost_takes_it_again_and_is_told_to_rewrite_it()
    {
        var store = Store();
        var id = NewSessionId();
        var lease = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        Assert.True(await store.CheckpointAsync(lease, new Dictionary<string, string> { ["tenant"] = "t" }, ["{\"id\":\"i1\"}"]));

        // Redis restarted without persistence: every key of the session is gone.
        var db = _redis.GetDatabase();
        foreach (var suffix in new[] { "state", "history", "lease", "fence" }) await db.KeyDeleteAsync($"session:{{{id}}}:{suffix}");

        Assert.True(await store.RenewAsync(lease));
        Assert.Equal(CheckpointResult.WrittenIntoLostState, await store.WriteCheckpointAsync(lease, new Dictionary<string, string> { ["tenant"] = "t" }));
        Assert.Equal(CheckpointResult.Written, await store.WriteCheckpointAsync(lease, replaceHistory: ["{\"id\":\"i1\"}"]));
        var snapshot = (await store.LoadAsync(id))!;
        Assert.Equal("router-a", snapshot.Owner);
        Assert.Equal(lease.Token, snapshot.FenceToken);
        // And another Router still cannot take it without a take-over.
        Assert.Null(await store.TryAcquireAsync(id, "router-b", takeOver: false));
    }

    [Fact]
    public async Task A_lease_that_expired_during_an_outage_is_renewed_if_nobody_took_the_session()
    {
        var store = Store(lease: TimeSpan.FromMilliseconds(200));
        var id = NewSessionId();
        var lease = (await store.TryAcquireAsync(id, "router-a", takeOver: false))!;
        await Task.Delay(400);
        Assert.True(await store.RenewAsync(lease));

        await Task.Delay(400);
        var other = (await store.TryAcquireAsync(id, "router-b", takeOver: false))!;
        Assert.False(await store.RenewAsync(lease)); // taken meanwhile: the old owner must stop
        Assert.True(await store.RenewAsync(other));
    }
}
