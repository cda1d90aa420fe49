using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Router.Tests;

public class RouterInstanceTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    private static readonly TimeSpan HeartbeatWait = TimeSpan.FromSeconds(5);

    private async Task<ConnectionMultiplexer> ConnectRedisAsync() => await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);

    private static async Task<bool> WaitForKeyAsync(IDatabase redis, string key, bool exists, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await redis.KeyExistsAsync(key) != exists)
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }

    [Fact]
    public async Task GetInstanceInfo_identifies_the_instance_and_its_providers()
    {
        var info = await fixture.Host.Client.GetInstanceInfoAsync(new GetInstanceInfoRequest());

        Assert.False(string.IsNullOrWhiteSpace(info.InstanceId));
        Assert.StartsWith("router-", info.InstanceId);
        Assert.Equal(0, info.ActiveSessions);
        Assert.Contains("openai", info.Providers);
        Assert.Contains("google", info.Providers);

        // Stable for the life of the process.
        var again = await fixture.Host.Client.GetInstanceInfoAsync(new GetInstanceInfoRequest());
        Assert.Equal(info.InstanceId, again.InstanceId);
    }

    [Fact]
    public async Task The_instance_announces_itself_in_redis_with_a_short_ttl()
    {
        var info = await fixture.Host.Client.GetInstanceInfoAsync(new GetInstanceInfoRequest());
        await using var connection = await ConnectRedisAsync();
        var redis = connection.GetDatabase();
        var key = $"router:instances:{info.InstanceId}";

        Assert.True(await WaitForKeyAsync(redis, key, exists: true, HeartbeatWait), $"{key} never appeared");

        var ttl = await redis.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl); // a key without TTL would outlive a crashed instance forever
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(6));
        Assert.Equal("0", (string?)await redis.StringGetAsync(key));

        // Refreshed: left alone a TTL only falls, so seeing it rise between two readings proves the heartbeat
        // renews it (every ~2 s; the wait allows for a loaded CI machine delaying a beat or two).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var refreshed = false;
        var previous = ttl;
        while (!refreshed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            var current = await redis.KeyTimeToLiveAsync(key);
            refreshed = current > previous;
            previous = current;
        }
        Assert.True(refreshed, "the heartbeat never renewed the key's TTL");
    }

    [Fact]
    public async Task A_second_instance_has_its_own_identity_and_removes_its_key_when_it_stops()
    {
        await using var connection = await ConnectRedisAsync();
        var redis = connection.GetDatabase();
        var first = await fixture.Host.Client.GetInstanceInfoAsync(new GetInstanceInfoRequest());

        var second = await RouterInstanceHost.StartAsync();
        string key;
        try
        {
            var info = await second.Client.GetInstanceInfoAsync(new GetInstanceInfoRequest());
            Assert.NotEqual(first.InstanceId, info.InstanceId);
            key = $"router:instances:{info.InstanceId}";
            Assert.True(await WaitForKeyAsync(redis, key, exists: true, HeartbeatWait), $"{key} never appeared");
        }
        finally
        {
            await second.DisposeAsync();
        }

        // Leaving cleanly: gone at once, well before the TTL would have expired it.
        Assert.False(await redis.KeyExistsAsync(key), $"{key} still present after a clean stop");
        Assert.True(await redis.KeyExistsAsync($"router:instances:{first.InstanceId}"), "the other instance's key must stay");
    }

    [Fact]
    public async Task Health_is_ready_with_redis_and_the_bus()
    {
        using var http = fixture.Host.Factory.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpResponseMessage health;
        while ((health = await http.GetAsync("/health")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        var body = await health.Content.ReadAsStringAsync();
        Assert.True(health.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"redis\"", body);
        Assert.Contains("\"resume-warm-up\"", body);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task The_resume_path_is_warmed_up_at_start_and_leaves_nothing_in_redis()
    {
        var warmUp = fixture.Host.Factory.Services.GetRequiredService<VoicePlatform.Router.Checkpoints.ResumePathWarmUp>();
        await warmUp.Completed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(warmUp.Succeeded, "the warm-up ran every round against Redis");
        Assert.Equal(HealthStatus.Healthy, (await warmUp.CheckHealthAsync(new HealthCheckContext())).Status);
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var left = server.Keys(pattern: $"session:{{{warmUp.SessionId}}}:*").Select(k => (string)k!).ToList();
        Assert.Empty(left);
        Assert.StartsWith("warmup_router-", warmUp.SessionId);
    }
}
