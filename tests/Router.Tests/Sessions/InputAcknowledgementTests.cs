using System.Text;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>How far the Gateway may forget client input: commits, speech, age, and (with checkpoints) the item's checkpoint.</summary>
public class InputAcknowledgementTests
{
    private readonly FakeTimeProvider _time = new();

    private static CanonicalEvent Event(string json) => CanonicalEvent.Read(Encoding.UTF8.GetBytes(json));

    private static CanonicalEvent Committed(string itemId) =>
        Event($$"""{"type":"input_audio_buffer.committed","event_id":"e","previous_item_id":null,"item_id":"{{itemId}}"}""");

    private InputAcknowledgement Speaking(bool checkpoints, ulong frames)
    {
        var acknowledgement = new InputAcknowledgement(_time);
        if (checkpoints) acknowledgement.CommitsWaitForCheckpoint();
        acknowledgement.Observe(Event("""{"type":"input_audio_buffer.speech_started","item_id":"item_1"}"""));
        for (ulong seq = 1; seq <= frames; seq++)
        {
            acknowledgement.Handed(seq);
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
        return acknowledgement;
    }

    [Fact]
    public void Without_checkpoints_a_commit_makes_the_turns_audio_safe_at_once()
    {
        var acknowledgement = Speaking(checkpoints: false, frames: 50);
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        acknowledgement.Observe(Committed("item_1"));

        Assert.Equal(50ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void With_checkpoints_a_commits_audio_is_safe_once_the_checkpoint_holds_its_item()
    {
        var acknowledgement = Speaking(checkpoints: true, frames: 50);
        acknowledgement.Observe(Committed("item_1"));
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        acknowledgement.Checkpointed(["item_0"]); // an earlier item: not this commit's
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        acknowledgement.Checkpointed(["item_0", "item_1"]);
        Assert.Equal(50ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void Audio_after_a_commit_waiting_for_its_checkpoint_does_not_become_safe_by_age()
    {
        var acknowledgement = Speaking(checkpoints: true, frames: 50);
        acknowledgement.Observe(Committed("item_1"));
        for (ulong seq = 51; seq <= 150; seq++) // 2 s of quiet after the turn: older than IdleKeep
        {
            acknowledgement.Handed(seq);
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        acknowledgement.Checkpointed(["item_1"]);

        // The commit's audio, and the quiet after it handed at least IdleKeep (1 s) ago: frames 51..150 were handed at
        // 1.00..2.98 s, it is 3.00 s now, so up to frame 101 (2.00 s).
        Assert.Equal(101ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void A_later_items_checkpoint_releases_the_commits_before_it()
    {
        var acknowledgement = Speaking(checkpoints: true, frames: 50);
        acknowledgement.Observe(Committed("item_1"));
        acknowledgement.Observe(Event("""{"type":"input_audio_buffer.speech_started","item_id":"item_2"}"""));
        for (ulong seq = 51; seq <= 80; seq++) acknowledgement.Handed(seq);
        acknowledgement.Observe(Committed("item_2"));

        acknowledgement.Checkpointed(["item_1", "item_2"]);

        Assert.Equal(80ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void A_commit_whose_checkpoint_never_comes_is_safe_after_the_wait()
    {
        var acknowledgement = Speaking(checkpoints: true, frames: 50);
        acknowledgement.Observe(Committed("item_1"));
        _time.Advance(InputAcknowledgement.CheckpointWait - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0ul, acknowledgement.SafeSeq());

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(50ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void A_cleared_buffer_needs_no_checkpoint()
    {
        var acknowledgement = Speaking(checkpoints: true, frames: 50);

        acknowledgement.Observe(Event("""{"type":"input_audio_buffer.cleared","event_id":"e"}"""));

        Assert.Equal(50ul, acknowledgement.SafeSeq());
    }

    [Fact]
    public void Speech_longer_than_the_ring_makes_only_the_frames_that_fell_out_safe()
    {
        var acknowledgement = Speaking(checkpoints: false, frames: 5000);

        Assert.Equal(5000ul - 4096ul, acknowledgement.SafeSeq()); // the ring keeps the newest 4096 hand-offs
    }

    [Fact]
    public void Age_reaches_back_in_hand_off_order_after_the_ring_grew_around_its_end()
    {
        var acknowledgement = new InputAcknowledgement(_time);
        HandFrames(acknowledgement, 1, 100);
        Assert.Equal(51ul, acknowledgement.SafeSeq()); // handed at 0–1,000 ms, now 2,000 ms: older than IdleKeep

        HandFrames(acknowledgement, 101, 400); // the ring grows twice while its oldest entry is mid-array

        Assert.Equal(351ul, acknowledgement.SafeSeq()); // now 8,000 ms: handed at ≤ 7,000 ms
    }

    private void HandFrames(InputAcknowledgement acknowledgement, ulong first, ulong last)
    {
        for (var seq = first; seq <= last; seq++)
        {
            acknowledgement.Handed(seq, audio: true);
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
    }
}
