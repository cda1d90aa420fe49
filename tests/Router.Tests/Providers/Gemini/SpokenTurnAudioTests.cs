using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>The spoken turn kept for a connection that has to hear it again: its lead-in, its speech, nothing after. No socket.</summary>
public class SpokenTurnAudioTests
{
    private const int LeadIn = 100;

    private static byte[] Chunk(byte value, int length = 40) => Enumerable.Repeat(value, length).ToArray();

    private static SpokenTurnAudio Turn(int maxBytes = 10_000) => new(LeadIn, maxBytes);

    [Fact]
    public void A_stopped_turn_is_its_lead_in_and_speech_and_nothing_that_follows()
    {
        using var turn = Turn();
        for (var i = 0; i < 20; i++) turn.Append(Chunk(0)); // 800 bytes of silence: only the newest are kept
        turn.SpeechStarted();
        turn.Append(Chunk(7));
        turn.Append(Chunk(7));
        turn.SpeechStopped("item_1");
        turn.Append(Chunk(9)); // after the turn

        Assert.Equal("item_1", turn.UnansweredItemId);
        var audio = turn.UnansweredAudio.ToArray();
        Assert.InRange(audio.Length, LeadIn + 80, 2 * LeadIn + 80);
        Assert.All(audio[..^80], b => Assert.Equal(0, b));
        Assert.All(audio[^80..], b => Assert.Equal(7, b));
    }

    [Fact]
    public void Nothing_is_unanswered_while_speaking_and_after_a_reply()
    {
        using var turn = Turn();
        turn.SpeechStarted();
        turn.Append(Chunk(7));
        Assert.Null(turn.UnansweredItemId);
        Assert.True(turn.UnansweredAudio.IsEmpty);

        turn.SpeechStopped("item_1");
        turn.Answered();
        Assert.Null(turn.UnansweredItemId);
        Assert.True(turn.UnansweredAudio.IsEmpty);
    }

    [Fact]
    public void A_reply_done_during_new_speech_does_not_end_that_speech()
    {
        using var turn = Turn();
        turn.SpeechStarted();
        for (var i = 0; i < 5; i++) turn.Append(Chunk(7));
        turn.SpeechStopped("item_1");
        turn.SpeechStarted(); // the user speaks again before the answer: the older turn is let go, but for a lead-in
        turn.Append(Chunk(8));
        turn.Answered();
        turn.SpeechStopped("item_2");

        Assert.Equal("item_2", turn.UnansweredItemId);
        var audio = turn.UnansweredAudio.ToArray();
        Assert.Equal(LeadIn + 40, audio.Length);
        Assert.All(audio[^40..], b => Assert.Equal(8, b));
    }

    [Fact]
    public void A_turn_too_long_to_keep_whole_is_not_offered_at_all()
    {
        using var turn = Turn(maxBytes: 200);
        turn.SpeechStarted();
        for (var i = 0; i < 10; i++) turn.Append(Chunk(7));
        turn.SpeechStopped("item_1");

        Assert.Equal("item_1", turn.UnansweredItemId);
        Assert.True(turn.UnansweredAudio.IsEmpty);
    }
}
