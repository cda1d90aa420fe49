using Grpc.Core;
using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Segments;
using static VoicePlatform.Transcripts.Tests.Consumers.TranscriptEvents;

namespace VoicePlatform.Transcripts.Tests.Consumers;

/// <summary>
/// A Router that took a session over voids what an earlier attempt recorded for a request it answers again
/// (<see cref="ResponsesDiscarded"/>): the client never saw that answer, so the transcript must not hold it. Stored
/// segments are deleted, late ones are not stored; repeated or reordered discards change nothing.
/// </summary>
[Collection(TranscriptsCollection.Name)]
public class DiscardedResponsesTests(TranscriptsServiceFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private NpgsqlDataSource _database = null!;

    public Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(fixture.DatabaseConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static TranscriptSegmentRecorded Answer(Guid tenant, string session, string itemId, string text, long requestSeq, long attempt) =>
        Segment(tenant, session, "assistant", text, 1_000, 2_000) with { ItemId = itemId, RequestSeq = requestSeq, Attempt = attempt };

    private static ResponsesDiscarded Discard(Guid tenant, string session, long keepAttempt, params long[] seqs) =>
        new(Guid.NewGuid(), tenant, session, seqs, keepAttempt, Start);

    [Fact]
    public async Task A_discard_on_the_bus_removes_the_earlier_attempts_answer_and_keeps_everything_else()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, session));
        await fixture.Bus.Publish(Segment(tenant, session, "user", "Hello", 0, 500) with { ItemId = "item_user" });
        await fixture.Bus.Publish(Answer(tenant, session, "item_seen", "Seen answer", requestSeq: 3, attempt: 1));
        await fixture.Bus.Publish(Answer(tenant, session, "item_unseen", "Never delivered", requestSeq: 7, attempt: 1));
        await Poll.UntilAsync(() => ItemsAsync(tenant, session), items => items.Count == 3, Patience);

        var discard = Discard(tenant, session, 2, 7);
        await fixture.Bus.Publish(discard);
        await fixture.Bus.Publish(discard); // redelivered
        await fixture.Bus.Publish(Answer(tenant, session, "item_kept", "The answer the client saw", requestSeq: 7, attempt: 2));

        var items = await Poll.UntilAsync(() => ItemsAsync(tenant, session),
            items => !items.Contains("item_unseen") && items.Contains("item_kept"), Patience);
        Assert.Equal(["item_kept", "item_seen", "item_user"], items.Order());
    }

    [Fact]
    public async Task A_segment_of_a_discarded_attempt_arriving_after_the_discard_is_not_stored_whatever_the_order_of_discards()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var segments = new SegmentStore(_database);
        var discarded = new DiscardedResponseStore(_database);

        // Two takeovers; the later discard (keep 3) lands before the earlier one (keep 2), and each twice.
        Assert.Equal(0, await discarded.DiscardAsync(Discard(tenant, session, 3, 4), CancellationToken.None));
        Assert.Equal(0, await discarded.DiscardAsync(Discard(tenant, session, 2, 4), CancellationToken.None));
        Assert.Equal(0, await discarded.DiscardAsync(Discard(tenant, session, 3, 4), CancellationToken.None));

        Assert.Equal(SegmentOutcome.Discarded, await segments.RecordAsync(Answer(tenant, session, "item_1", "first try", 4, 1), CancellationToken.None));
        Assert.Equal(SegmentOutcome.Discarded, await segments.RecordAsync(Answer(tenant, session, "item_2", "second try", 4, 2), CancellationToken.None));
        var kept = Answer(tenant, session, "item_3", "third try", 4, 3);
        Assert.Equal(SegmentOutcome.Stored, await segments.RecordAsync(kept, CancellationToken.None));
        Assert.Equal(SegmentOutcome.Duplicate, await segments.RecordAsync(kept, CancellationToken.None));
        // Another request of the same session is untouched by the tombstone.
        Assert.Equal(SegmentOutcome.Stored, await segments.RecordAsync(Answer(tenant, session, "item_other", "other request", 5, 1), CancellationToken.None));

        Assert.Equal(["item_3", "item_other"], (await ItemsAsync(tenant, session)).Order());
    }

    [Fact]
    public async Task A_discard_after_the_segment_deletes_it_once_and_spares_segments_without_a_request()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var segments = new SegmentStore(_database);
        var discarded = new DiscardedResponseStore(_database);
        await segments.RecordAsync(Answer(tenant, session, "item_old", "old", 9, 1), CancellationToken.None);
        await segments.RecordAsync(Answer(tenant, session, "item_server", "server started", 9, 1) with { RequestSeq = null }, CancellationToken.None);
        await segments.RecordAsync(Segment(tenant, session, "user", "typed", 0, 10) with { ItemId = "item_user" }, CancellationToken.None);

        Assert.Equal(1, await discarded.DiscardAsync(Discard(tenant, session, 2, 9), CancellationToken.None));
        Assert.Equal(0, await discarded.DiscardAsync(Discard(tenant, session, 2, 9), CancellationToken.None));
        Assert.Equal(["item_server", "item_user"], (await ItemsAsync(tenant, session)).Order());
    }

    [Fact]
    public async Task A_response_the_client_saw_cut_is_voided_by_its_items_also_when_the_server_started_it_and_whatever_the_order()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var segments = new SegmentStore(_database);
        var discarded = new DiscardedResponseStore(_database);
        // Server VAD answered on attempt 1 (no request); the Router died before the client saw it end.
        var cut = Answer(tenant, session, "item_cut", "cut off", 0, 1) with { RequestSeq = null };
        var late = Answer(tenant, session, "item_late", "recorded after the discard", 0, 1) with { RequestSeq = null };
        Assert.Equal(SegmentOutcome.Stored, await segments.RecordAsync(cut, CancellationToken.None));
        Assert.Equal(SegmentOutcome.Stored, await segments.RecordAsync(Answer(tenant, session, "item_seen", "seen", 0, 1) with { RequestSeq = null }, CancellationToken.None));

        var discard = new ResponsesDiscarded(Guid.NewGuid(), tenant, session, [], 2, Start, ["resp_cut", "resp_late"], ["item_cut", "item_late"]);
        Assert.Equal(1, await discarded.DiscardAsync(discard, CancellationToken.None));
        Assert.Equal(0, await discarded.DiscardAsync(discard, CancellationToken.None)); // redelivered
        Assert.Equal(SegmentOutcome.Discarded, await segments.RecordAsync(late, CancellationToken.None));
        // The attempt that took over keeps what it records, even under an item id it was told about.
        Assert.Equal(SegmentOutcome.Stored, await segments.RecordAsync(late with { Attempt = 2, SegmentId = Guid.NewGuid() }, CancellationToken.None));

        Assert.Equal(["item_late", "item_seen"], (await ItemsAsync(tenant, session)).Order());
    }

    private async Task<List<string>> ItemsAsync(Guid tenant, string session)
    {
        try
        {
            var response = await fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session });
            return response.Segments.Select(s => s.ItemId).ToList();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return []; // nothing recorded yet
        }
    }
}
