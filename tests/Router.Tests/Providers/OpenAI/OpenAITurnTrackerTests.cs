using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Router.Providers.OpenAI;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// When an OpenAI connection is at a turn boundary (where a rollover may switch connections unnoticed), from the
/// server events and client audio alone: no socket, time on a fake clock.
/// </summary>
public class OpenAITurnTrackerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_fresh_connection_is_at_a_boundary_and_a_response_in_progress_is_not()
    {
        using var turns = new OpenAITurnTracker(_time);
        Assert.True(turns.AtTurnBoundary(manualTurns: false));

        turns.ResponseCreated();
        Assert.False(turns.AtTurnBoundary(manualTurns: false));

        turns.ResponseDone();
        Assert.True(turns.AtTurnBoundary(manualTurns: false));
    }

    [Fact]
    public void While_the_user_speaks_it_is_no_boundary()
    {
        using var turns = new OpenAITurnTracker(_time);
        turns.SpeechStarted();
        Assert.False(turns.AtTurnBoundary(manualTurns: false));

        turns.SpeechStopped(vadCreatesResponses: false);
        Assert.True(turns.AtTurnBoundary(manualTurns: false));
    }

    [Fact]
    public void A_VAD_turn_waits_for_its_response_for_the_grace_period_only()
    {
        using var turns = new OpenAITurnTracker(_time);
        turns.SpeechStarted();
        turns.SpeechStopped(vadCreatesResponses: true);
        Assert.False(turns.AtTurnBoundary(manualTurns: false)); // the response VAD creates is on its way

        _time.Advance(OpenAITurnTracker.AutoResponseGrace - TimeSpan.FromMilliseconds(1));
        Assert.False(turns.AtTurnBoundary(manualTurns: false));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(turns.AtTurnBoundary(manualTurns: false)); // it never came

        turns.SpeechStarted();
        turns.SpeechStopped(vadCreatesResponses: true);
        turns.ResponseCreated(); // it came: the response decides now
        turns.ResponseDone();
        Assert.True(turns.AtTurnBoundary(manualTurns: false));
    }

    [Fact]
    public void With_manual_turns_audio_appended_since_the_last_commit_is_an_open_turn()
    {
        using var turns = new OpenAITurnTracker(_time);
        turns.AudioSent();
        Assert.False(turns.AtTurnBoundary(manualTurns: true));
        Assert.True(turns.AtTurnBoundary(manualTurns: false)); // with VAD, speech events decide, not appends

        turns.Committed("item_1", transcribed: false);
        Assert.True(turns.AtTurnBoundary(manualTurns: true));

        turns.AudioSent();
        turns.Cleared();
        Assert.True(turns.AtTurnBoundary(manualTurns: true));
    }

    [Fact]
    public void A_committed_turns_transcription_is_awaited_for_the_grace_period_only()
    {
        using var turns = new OpenAITurnTracker(_time);
        turns.Committed("item_1", transcribed: true);
        Assert.False(turns.AtTurnBoundary(manualTurns: false));

        turns.TranscriptionEnded("item_1");
        Assert.True(turns.AtTurnBoundary(manualTurns: false));

        turns.Committed("item_2", transcribed: true);
        _time.Advance(OpenAITurnTracker.TranscriptionGrace);
        Assert.True(turns.AtTurnBoundary(manualTurns: false)); // a transcription that never ends does not block a rollover
    }

    [Fact]
    public void A_new_connection_starts_with_nothing_in_flight_unless_uncommitted_audio_was_replayed_to_it()
    {
        using var turns = new OpenAITurnTracker(_time);
        turns.ResponseCreated();
        turns.SpeechStarted();
        turns.Committed("item_1", transcribed: true);
        turns.AudioSent();

        turns.Reset();
        Assert.True(turns.AtTurnBoundary(manualTurns: true));
        Assert.False(turns.ResponseActive || turns.SpeechActive || turns.AudioSinceCommit);

        turns.AudioReplayed(any: true);
        Assert.False(turns.AtTurnBoundary(manualTurns: true));
    }

    [Fact]
    public async Task A_waiter_wakes_on_a_change_and_times_out_on_the_clock_without_one()
    {
        using var turns = new OpenAITurnTracker(_time);
        var waiting = turns.WaitForChangeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        turns.ResponseDone();
        Assert.True(await waiting);

        var idle = turns.WaitForChangeAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.False(idle.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await idle);
    }
}
