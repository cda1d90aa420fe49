using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Which client frames a Gemini resumption handle covers, and which replayed frames a resumed session therefore skips:
/// never more than the handle has (audio lost), at worst fewer (a little audio heard twice). No socket.
/// </summary>
public class HandleCoveredInputTests
{
    [Fact]
    public void A_handle_covers_the_frames_of_the_messages_it_consumed()
    {
        var input = new HandleCoveredInput();
        for (ulong seq = 1; seq <= 5; seq++)
        {
            input.Handing(seq);
            input.Sent(index: (long)seq + 10); // message indexes on the connection: 11..15
        }

        input.Consumed(13);
        Assert.Equal(3UL, input.CoveredSeq);
        input.Consumed(null); // a handle that says nothing claims nothing
        input.Consumed(12); // nor does an older one
        Assert.Equal(3UL, input.CoveredSeq);
        input.Consumed(15);
        Assert.Equal(5UL, input.CoveredSeq);
    }

    [Fact]
    public void Input_without_a_client_frame_or_from_a_previous_connection_is_never_claimed()
    {
        var input = new HandleCoveredInput();
        input.Handing(0); // platform-made input (e.g. a replay after a rollover)
        input.Sent(1);
        input.Consumed(1);
        Assert.Equal(0UL, input.CoveredSeq);

        input.Handing(7);
        input.Sent(2);
        input.NewConnection(); // its message indexes start again: index 2 on the new one is another message
        input.Handing(8);
        input.Sent(5);
        input.Consumed(2);
        Assert.Equal(0UL, input.CoveredSeq);
        input.Consumed(5);
        Assert.Equal(8UL, input.CoveredSeq);
    }

    [Fact]
    public void A_resumed_session_skips_replayed_frames_up_to_the_covered_one_then_nothing_more()
    {
        var input = new HandleCoveredInput();
        input.Resumed(covered: 3);

        var skipped = new List<ulong>();
        var endedAt = new List<ulong>();
        foreach (var seq in new ulong[] { 2, 3, 4, 2 })
        {
            input.Handing(seq);
            if (input.SkipCurrent(out var ended)) skipped.Add(seq);
            if (ended) endedAt.Add(seq);
        }

        Assert.Equal([2UL, 3UL], skipped);
        Assert.Equal([4UL], endedAt); // reported once
        Assert.Equal(2, input.DroppedFrames);
        Assert.Equal(3UL, input.CoveredSeq); // checkpointed again with the next handle unless it covers more
    }

    [Fact]
    public void Only_the_newest_messages_are_remembered_so_an_old_handle_errs_low()
    {
        var input = new HandleCoveredInput();
        for (var i = 1; i <= HandleCoveredInput.SentInputMemory + 10; i++)
        {
            input.Handing((ulong)i);
            input.Sent(i);
        }

        input.Consumed(5); // its frames were forgotten: nothing claimed
        Assert.Equal(0UL, input.CoveredSeq);
        input.Consumed(HandleCoveredInput.SentInputMemory + 10);
        Assert.Equal((ulong)HandleCoveredInput.SentInputMemory + 10, input.CoveredSeq);
    }
}
