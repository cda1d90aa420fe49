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

    /// <summary>A fresh session's state on the test Redis, its lease held by "router-a".</summary>
    private async Task<(ContinuityOptions Options, SessionStateStore Store, string SessionId, SessionLease Lease)> NewSessionAsync()
    {
        var options = new ContinuityOptions { LeaseDuration = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromMinutes(5) };
        var store = new SessionStateStore(_redis, Options.Create(options));
        var sessionId = $"sess_{Guid.NewGuid():N}";
        return (options, store, sessionId, (await store.TryAcquireAsync(sessionId, "router-a", takeOver: false))!);
    }

    private static CanonicalEvent ItemDone(string id) => CanonicalEvent.Read(Encoding.UTF8.GetBytes(
        $$$"""{"type":"conversation.item.done","event_id":"e","item":{"id":"{{{id}}}","type":"message","role":"user","content":[{"type":"input_audio","transcript":null}]}}"""));

    [Fact]
    public async Task Items_are_reported_stored_after_the_write_that_holds_them()
    {
        var (options, store, sessionId, lease) = await NewSessionAsync();
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
        var (options, store, sessionId, lease) = await NewSessionAsync();
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

    [Fact]
    public async Task A_commit_reaches_the_client_only_once_the_checkpoint_holds_its_item_with_its_input()
    {
        var (options, store, sessionId, lease) = await NewSessionAsync();
        var acknowledgement = new InputAcknowledgement();
        acknowledgement.CommitsWaitForCheckpoint();
        var client = new StoreCheckingSink(store, sessionId);
        await using var checkpointer = new SessionCheckpointer(client, store, lease, options, new Dictionary<string, string> { ["tenant"] = "t" },
            resumed: null, NullLogger.Instance, commits: acknowledgement);

        for (ulong seq = 1; seq <= 5; seq++) acknowledgement.Handed(seq);
        var committed = Committed("item_spoken");
        acknowledgement.Observe(committed); // the chain's order: the acknowledgement sees it first
        await checkpointer.EventAsync(committed, CancellationToken.None);

        var (history, inputSeq) = Assert.Single(client.SeenAtDelivery);
        Assert.Contains("\"item_spoken\"", Assert.Single(history), StringComparison.Ordinal);
        Assert.Equal("5", inputSeq);

        // The item itself replaces what the commit stored: the conversation holds it once, with its words.
        await checkpointer.EventAsync(ItemDone("item_spoken"), CancellationToken.None);
        var stored = await Poll.UntilAsync(async () => (await store.LoadAsync(sessionId))!.History, h => h.Count == 1 && !h[0].Contains("\"status\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.Single(stored);
    }

    /// <summary>The client's end of the chain: what the store held when each commit reached it.</summary>
    private sealed class StoreCheckingSink(SessionStateStore store, string sessionId) : ISessionEventSink
    {
        public List<(IReadOnlyList<string> History, string? InputSeq)> SeenAtDelivery { get; } = [];

        public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
        {
            if (serverEvent.Type != "input_audio_buffer.committed") return;
            var snapshot = await store.LoadAsync(sessionId);
            SeenAtDelivery.Add((snapshot?.History ?? [], snapshot?.Field(SessionSnapshots.InputSeqField)));
        }

        public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
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
