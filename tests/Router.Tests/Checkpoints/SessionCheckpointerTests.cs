using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Events;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Checkpoints;

/// <summary>The checkpointer against a real Redis: it says which items the store holds only once a write landed.</summary>
public class SessionCheckpointerTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync((await BackingServices.GetAsync()).RedisConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private static CanonicalEvent ItemDone(string id) => CanonicalEvent.Read(Encoding.UTF8.GetBytes(
        $$$"""{"type":"conversation.item.done","event_id":"e","item":{"id":"{{{id}}}","type":"message","role":"user","content":[{"type":"input_audio","transcript":null}]}}"""));

    [Fact]
    public async Task Items_are_reported_stored_after_the_write_that_holds_them()
    {
        var options = new ContinuityOptions { LeaseDuration = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromMinutes(5) };
        var store = new SessionStateStore(_redis, Options.Create(options));
        var sessionId = $"sess_{Guid.NewGuid():N}";
        var lease = (await store.TryAcquireAsync(sessionId, "router-a", takeOver: false))!;
        var stored = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyCollection<string>>();
        await using var checkpointer = new SessionCheckpointer(new NullSink(), store, lease, options, new Dictionary<string, string> { ["tenant"] = "t" },
            resumed: null, NullLogger.Instance, commits: new ReportedCommits(stored.Writer));

        await checkpointer.EventAsync(ItemDone("item_a"), CancellationToken.None);
        var first = await stored.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("item_a", first);
        // By the time it is reported, the store has it.
        Assert.Contains((await store.LoadAsync(sessionId))!.History, json => json.Contains("\"item_a\"", StringComparison.Ordinal));

        await checkpointer.EventAsync(ItemDone("item_b"), CancellationToken.None);
        var second = await stored.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["item_a", "item_b"], second.Order());
        Assert.Contains((await store.LoadAsync(sessionId))!.History, json => json.Contains("\"item_b\"", StringComparison.Ordinal));
    }

    private static CanonicalEvent Committed(string id) => CanonicalEvent.Read(Encoding.UTF8.GetBytes(
        $$$"""{"type":"input_audio_buffer.committed","event_id":"e","previous_item_id":null,"item_id":"{{{id}}}"}"""));

    [Fact]
    public async Task A_committed_turn_is_stored_with_the_input_it_took_and_its_audio_is_safe_only_then()
    {
        var options = new ContinuityOptions { LeaseDuration = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromMinutes(5) };
        var store = new SessionStateStore(_redis, Options.Create(options));
        var sessionId = $"sess_{Guid.NewGuid():N}";
        var lease = (await store.TryAcquireAsync(sessionId, "router-a", takeOver: false))!;
        var acknowledgement = new InputAcknowledgement();
        acknowledgement.CommitsWaitForCheckpoint();
        var stored = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyCollection<string>>();
        await using var checkpointer = new SessionCheckpointer(new NullSink(), store, lease, options, new Dictionary<string, string> { ["tenant"] = "t" },
            resumed: null, NullLogger.Instance, commits: new ObservedCommits(acknowledgement, stored.Writer));

        for (ulong seq = 1; seq <= 7; seq++) acknowledgement.Handed(seq);
        acknowledgement.Observe(Committed("item_a"));
        acknowledgement.Handed(8); // the next turn's audio, not in item_a
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        await checkpointer.EventAsync(ItemDone("item_a"), CancellationToken.None);
        await stored.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var snapshot = (await store.LoadAsync(sessionId))!;
        Assert.Equal("7", snapshot.Field(SessionSnapshots.InputSeqField));
        Assert.Equal(7ul, SessionSnapshots.ToResumeState(snapshot).CoveredInputSeq);
        Assert.Equal(7ul, acknowledgement.SafeSeq());
    }

    /// <summary>The real acknowledgement, telling the test when a write was reported.</summary>
    private sealed class ObservedCommits(InputAcknowledgement acknowledgement, System.Threading.Channels.ChannelWriter<IReadOnlyCollection<string>> stored) : ICheckpointedCommits
    {
        public ulong? InputSeqOf(IReadOnlySet<string> itemIds) => acknowledgement.InputSeqOf(itemIds);

        public void Checkpointed(IReadOnlyCollection<string> itemIds)
        {
            acknowledgement.Checkpointed(itemIds);
            stored.TryWrite(itemIds);
        }
    }

    private sealed class ReportedCommits(System.Threading.Channels.ChannelWriter<IReadOnlyCollection<string>> stored) : ICheckpointedCommits
    {
        public ulong? InputSeqOf(IReadOnlySet<string> itemIds) => null;

        public void Checkpointed(IReadOnlyCollection<string> itemIds) => stored.TryWrite(itemIds);
    }
}
