using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using static VoicePlatform.Transcripts.Tests.Consumers.TranscriptEvents;

namespace VoicePlatform.Transcripts.Tests.Segments;

/// <summary>
/// Transcript timing on the client's timeline: the Gateway's TurnMeasured says when assistant audio played and when the
/// user's speech was sent; the transcript shows speech then (cut at barge-in) and shifts what has no timing of its own.
/// </summary>
[Collection(TranscriptsCollection.Name)]
public class PlaybackAlignmentTests(TranscriptsServiceFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Assistant_segments_span_their_playback_and_user_segments_move_to_the_client_timeline()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        // The client's socket opened 400 ms before the Router created the session (Start).
        var connectionOpened = Start.AddMilliseconds(-400);
        await fixture.Bus.Publish(Started(tenant, session));
        await fixture.Bus.Publish(Segment(tenant, session, "user", "What's the time?", 500, 1_400));
        // The Router stamped the answer when it was generated: 13 ms at 2.1 s; it played 2.5–4.24 s, cut by a barge-in.
        var answer = Segment(tenant, session, "assistant", "It is noon and", 2_100, 2_113) with { ItemId = "item_answer" };
        await fixture.Bus.Publish(answer);
        await fixture.Bus.Publish(Turn(tenant, session, connectionOpened, new ItemPlayback("item_answer", 2_500, 4_240, Truncated: true)));

        var transcript = await Poll.UntilAsync(() => fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session }).ResponseAsync,
            t => t.Segments.Count == 2 && t.Segments.Any(s => s.Role == "assistant" && s.StartMs == 2_500), Patience);
        var user = transcript.Segments.Single(s => s.Role == "user");
        Assert.Equal((900L, 1_800L), (user.StartMs, user.EndMs)); // + 400 ms: the Router's zero on the client's timeline
        var assistant = transcript.Segments.Single(s => s.Role == "assistant");
        Assert.Equal((2_500L, 4_240L, true), (assistant.StartMs, assistant.EndMs, assistant.Truncated));
    }

    [Fact]
    public async Task A_resumed_connection_is_placed_after_the_first_by_when_it_opened_and_a_redelivery_changes_nothing()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var firstOpened = Start.AddMilliseconds(-200);
        await fixture.Bus.Publish(Started(tenant, session));
        await fixture.Bus.Publish(Segment(tenant, session, "assistant", "Before the drop", 1_000, 1_010) with { ItemId = "item_1" });
        await fixture.Bus.Publish(Segment(tenant, session, "assistant", "After the resume", 9_000, 9_010) with { ItemId = "item_2" });
        await fixture.Bus.Publish(Turn(tenant, session, firstOpened, new ItemPlayback("item_1", 1_100, 2_100, false)));
        var resumed = Turn(tenant, session, firstOpened.AddSeconds(8), new ItemPlayback("item_2", 700, 1_900, false));
        await fixture.Bus.Publish(resumed);
        await fixture.Bus.Publish(resumed);

        var transcript = await Poll.UntilAsync(() => fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session }).ResponseAsync,
            // Both connections' timings applied. (Until the resumed one is, "After the resume" is shifted by the first
            // connection's offset alone, to 9,200: not yet the answer.)
            t => t.Segments.Any(s => s.StartMs == 1_100) && t.Segments.Any(s => s.StartMs == 8_700), Patience);
        Assert.Equal([(1_100L, 2_100L), (8_700L, 9_900L)], transcript.Segments.Select(s => (s.StartMs, s.EndMs)));
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM item_timing WHERE session_id = @s", p => p.AddWithValue("s", session)));
    }

    [Fact]
    public async Task A_user_segment_with_a_measured_speech_span_takes_it()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var opened = Start.AddMilliseconds(-300);
        await fixture.Bus.Publish(Started(tenant, session));
        await fixture.Bus.Publish(Segment(tenant, session, "user", "Hello?", 700, 1_900) with { ItemId = "item_user" });
        await fixture.Bus.Publish(Segment(tenant, session, "assistant", "Hi!", 2_300, 2_310) with { ItemId = "item_reply" });
        var turn = Turn(tenant, session, opened, new ItemPlayback("item_reply", 2_600, 3_100, false));
        await fixture.Bus.Publish(turn with { UserSpeech = new ItemPlayback("item_user", 1_020, 2_020, false) });

        var transcript = await Poll.UntilAsync(() => fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session }).ResponseAsync,
            t => t.Segments.Any(s => s.Role == "user" && s.StartMs == 1_020), Patience);
        Assert.Equal([("user", 1_020L, 2_020L), ("assistant", 2_600L, 3_100L)], transcript.Segments.Select(s => (s.Role, s.StartMs, s.EndMs)));
    }

    [Fact]
    public async Task Segments_keep_conversation_order_when_queued_playback_puts_an_answer_after_the_next_turns_timing()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var opened = Start.AddMilliseconds(-300);
        await fixture.Bus.Publish(Started(tenant, session));
        // The answer was generated at 2 s but queued behind earlier audio: it played 4–6 s. The client typed its next
        // turn at 3 s (Router time; no timing of its own, so shifted +300 ms to 3.3 s), before that audio played.
        await fixture.Bus.Publish(Segment(tenant, session, "assistant", "A long answer", 2_000, 2_010) with { ItemId = "item_answer" });
        await fixture.Bus.Publish(Segment(tenant, session, "user", "Next question", 3_000, 3_000) with { ItemId = "item_next" });
        await fixture.Bus.Publish(Turn(tenant, session, opened, new ItemPlayback("item_answer", 4_000, 6_000, false)));

        var transcript = await Poll.UntilAsync(() => fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session }).ResponseAsync,
            t => t.Segments.Count == 2 && t.Segments.Any(s => s.StartMs == 4_000), Patience);
        Assert.Equal([("assistant", 4_000L), ("user", 3_300L)], transcript.Segments.Select(s => (s.Role, s.StartMs)));
    }

    private static TurnMeasured Turn(Guid tenant, string session, DateTimeOffset opened, ItemPlayback item) =>
        new(Guid.NewGuid(), tenant, session, new QualityDimensions("gpt-realtime-2", "openai", null, null, null), $"resp_{item.ItemId}",
            opened.AddMilliseconds(item.StartMs), "server_vad", item.StartMs - 300, 300, 200, "completed", item.EndMs - item.StartMs,
            item.Truncated, item.Truncated ? item.EndMs - item.StartMs : null, 0, [item], opened);
}
