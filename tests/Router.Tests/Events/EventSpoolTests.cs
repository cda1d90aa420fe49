using StackExchange.Redis;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Router.Events;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>The spool against the real Redis and RabbitMQ: nothing lost while the bus is away, order kept, dead forwarders' entries claimed.</summary>
public class EventSpoolTests
{
    private static readonly Guid Tenant = Guid.NewGuid();

    private static SessionEnded Ended(string session, int n) =>
        new(EventIds.For(session, n.ToString()), Tenant, session, DateTimeOffset.UtcNow, n, $"reason_{n}");

    [Fact]
    public async Task Events_spooled_while_nothing_forwards_are_published_in_order_once_forwarding_runs()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var session = $"sess_{Guid.NewGuid():N}";
        var spool = harness.Spool();
        for (var i = 0; i < 20; i++) spool.Enqueue(Ended(session, i));

        // No forwarder yet (the bus is "down" for this Router): everything waits in Redis.
        var length = await TestSupport.Poll.UntilAsync(harness.SpoolLengthAsync, l => l == 20, TimeSpan.FromSeconds(10));
        Assert.Equal(20, length);
        await Task.Delay(300);
        Assert.Empty(harness.Published.Of(session));

        harness.Forwarder(spool, "router-a");
        var received = await harness.Published.WaitForAsync(session, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"reason_{i}"), received.Cast<SessionEnded>().Select(e => e.EndReason));
        Assert.Equal(0, await TestSupport.Poll.UntilAsync(harness.SpoolLengthAsync, l => l == 0, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Entries_pending_at_a_dead_forwarder_are_claimed_and_published_by_another()
    {
        await using var harness = await EventBusHarness.StartAsync(claimIdle: TimeSpan.FromMilliseconds(500));
        var session = $"sess_{Guid.NewGuid():N}";
        var db = harness.Redis.GetDatabase();
        var o = harness.Options;
        await db.StreamCreateConsumerGroupAsync(o.StreamKey, o.ConsumerGroup, "0-0", createStream: true);
        for (var i = 0; i < 3; i++)
        {
            await db.StreamAddAsync(o.StreamKey, [new NameValueEntry(EventSpool.TypeField, nameof(SessionEnded)),
                new NameValueEntry(EventSpool.BodyField, System.Text.Json.JsonSerializer.Serialize(Ended(session, i)))]);
        }
        // A Router read them and died before publishing: they stay pending at its consumer.
        var taken = await db.StreamReadGroupAsync(o.StreamKey, o.ConsumerGroup, "router-dead", ">", 10);
        Assert.Equal(3, taken.Length);

        harness.Forwarder(harness.Spool(), "router-alive");
        var received = await harness.Published.WaitForAsync(session, 3);
        Assert.Equal(["reason_0", "reason_1", "reason_2"], received.Cast<SessionEnded>().Select(e => e.EndReason));
        var pending = await TestSupport.Poll.UntilAsync(() => db.StreamPendingAsync(o.StreamKey, o.ConsumerGroup), p => p.PendingMessageCount == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, pending.PendingMessageCount);
    }

    [Fact]
    public async Task Two_forwarders_sharing_the_spool_publish_each_event_once()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var session = $"sess_{Guid.NewGuid():N}";
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        harness.Forwarder(spool, "router-b");
        for (var i = 0; i < 30; i++) spool.Enqueue(Ended(session, i));

        await harness.Published.WaitForAsync(session, 30);
        await Task.Delay(500); // a duplicate would show up by now
        var ids = harness.Published.Of(session).Cast<SessionEnded>().Select(e => e.EventId).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
    }

    [Fact]
    public async Task Without_Redis_events_are_published_directly()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var session = $"sess_{Guid.NewGuid():N}";
        var options = ConfigurationOptions.Parse($"127.0.0.1:{VoicePlatform.AppHost.Resources.FreePorts.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 500;
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        var spool = harness.Spool(unreachable);
        spool.Enqueue(Ended(session, 7));

        var received = await harness.Published.WaitForAsync(session, 1);
        Assert.Equal("reason_7", Assert.IsType<SessionEnded>(Assert.Single(received)).EndReason);
    }
}
