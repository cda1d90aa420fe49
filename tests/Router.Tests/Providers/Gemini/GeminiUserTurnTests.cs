using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>The user's side of a Gemini session: buffer, spoken item, pending transcription. No socket.</summary>
public class GeminiUserTurnTests
{
    [Fact]
    public void Speech_names_its_item_once_and_the_commit_takes_that_item_and_the_buffered_audio()
    {
        var user = new GeminiUserTurn();
        user.AudioIn(60, 960);
        var started = user.SpeechStarted();
        Assert.Equal(started, user.SpeechStarted());
        user.AudioIn(60, 960);

        var (itemId, durationMs) = user.Commit();

        Assert.Equal(started, itemId);
        Assert.Equal(120, durationMs);
        Assert.Null(user.SpeechItemId);
        Assert.Equal(0, user.BufferedMs);
        Assert.Equal(120, user.InputMs); // the audio clock keeps running across commits
    }

    [Fact]
    public void A_commit_without_speech_makes_a_new_item_and_clear_empties_only_the_buffer()
    {
        var user = new GeminiUserTurn();
        user.AudioIn(200, 3200);
        user.Clear();
        Assert.Equal(0, user.BufferedMs);
        Assert.Equal(3200, user.InputSamples);

        user.AudioIn(150, 2400);
        var (itemId, durationMs) = user.Commit();
        Assert.StartsWith("item_", itemId);
        Assert.Equal(150, durationMs);
    }

    [Fact]
    public void Transcription_fills_the_committed_item_and_is_dropped_without_one()
    {
        var user = new GeminiUserTurn();
        Assert.False(user.AddTranscription("lost"));
        Assert.False(user.TakeTranscript(out _, out _));

        user.Transcribing("item_a");
        Assert.False(user.TakeTranscript(out _, out _)); // no words yet: the item keeps waiting
        Assert.True(user.AddTranscription("hello "));
        Assert.True(user.AddTranscription("there"));
        Assert.True(user.TakeTranscript(out var itemId, out var transcript));

        Assert.Equal("item_a", itemId);
        Assert.Equal("hello there", transcript);
        Assert.Null(user.TranscribingItemId);
        Assert.False(user.AddTranscription("late"));
    }

    [Fact]
    public void A_turn_detection_change_forgets_the_speech_under_way()
    {
        var user = new GeminiUserTurn();
        var first = user.SpeechStarted();
        user.ForgetSpeech();
        Assert.Null(user.SpeechItemId);
        Assert.NotEqual(first, user.SpeechStarted());
    }
}
