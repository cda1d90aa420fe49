using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Model-family behaviour (gemini-live-3.8-and-vertex.md §2–§3): interactionStatus on 3.8, the extended-thinking
/// turn shape (filler → turnComplete IN_PROGRESS → answer → turnComplete IDLE), INTERRUPT results held while the
/// user speaks.
/// </summary>
internal sealed partial class LiveConnection
{
    private ModelProfile _profile = ModelProfile.Default;

    private readonly BackgroundThought _thought = new();

    /// <summary>Replies to INTERRUPT results that arrived while the user was speaking (3.8 waits for the end of speech).</summary>
    private readonly List<string> _heldInterruptReplies = [];

    /// <summary>Set while a turn is cut for an INTERRUPT result: its turnComplete says the model goes on.</summary>
    private bool _replyingToResult;

    private bool SendsOutputTranscription =>
        _setup!.OutputTranscription || (_profile.IsLive38 && _options.Live38.UnrequestedOutputTranscription);

    /// <summary>The model's reply to a user turn: the extended-thinking model first says its filler and thinks.</summary>
    private async Task StartReplyToUserAsync(ReplyPlan plan)
    {
        _thought.Drop();
        if (_profile.ExtendedThinking && plan is SpeakPlan)
        {
            _thought.Begin(plan);
            plan = new SpeakPlan(_options.Live38.ThinkingFiller);
        }

        if (_heldInterruptReplies.Count > 0)
        {
            // The held result goes first: the model reacts to it as soon as the user stops speaking.
            var held = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, _heldInterruptReplies));
            _heldInterruptReplies.Clear();
            var reply = plan;
            _deferred.Enqueue(() => StartModelTurnAsync(reply));
            plan = held;
        }

        await StartModelTurnAsync(plan);
    }

    /// <summary>True when an INTERRUPT result must wait for the user to finish speaking (3.8 only).</summary>
    private bool HoldInterruptResult(FunctionResultText result)
    {
        if (!_profile.IsLive38 || !_input.InActivity)
        {
            return false;
        }

        _heldInterruptReplies.Add(result.Reply);
        return true;
    }

    private async Task InterruptForResultAsync()
    {
        if (_turn is null)
        {
            return;
        }

        _replyingToResult = true;
        try
        {
            await InterruptAsync();
        }
        finally
        {
            _replyingToResult = false;
        }
    }

    /// <summary>Speech ended without a user turn (no audio between the activity signals): held results are spoken now.</summary>
    private async Task SpeakHeldInterruptResultsAsync()
    {
        if (_heldInterruptReplies.Count == 0)
        {
            return;
        }

        var held = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, _heldInterruptReplies));
        _heldInterruptReplies.Clear();
        await InterruptForResultAsync();
        await StartModelTurnAsync(held);
    }

    /// <summary>The interactionStatus for a turnComplete, before the next piece of work is started.</summary>
    private string? InteractionStatusNow()
    {
        if (!_profile.ReportsInteractionStatus)
        {
            return null;
        }

        var pending = _calls.AnyNonBlockingPending || _deferred.Count > 0 || _thought.Pending
            || _heldInterruptReplies.Count > 0 || _replyingToResult;
        return pending ? InteractionStatus.InProgress : InteractionStatus.Idle;
    }

    /// <summary>The thinking time is over: the answer now, or after the turn in progress.</summary>
    private async Task SpeakThoughtAsync(ReplyPlan answer)
    {
        if (_turn is not null)
        {
            _deferred.Enqueue(() => SpeakThoughtPlanAsync(answer));
            return;
        }

        await SpeakThoughtPlanAsync(answer);
    }

    private async Task SpeakThoughtPlanAsync(ReplyPlan plan)
    {
        await StartModelTurnAsync(plan);
        if (_turn is { } turn)
        {
            turn.ThoughtsTokens = _thinking?.ThoughtsTokens(_options.Live38.ThoughtsTokenCount) ?? _options.Live38.ThoughtsTokenCount;
        }
    }
}
