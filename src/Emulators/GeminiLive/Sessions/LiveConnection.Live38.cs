using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Model-family behaviour (gemini-live-3.8-and-vertex.md §2–§3): interactionStatus on 3.8, the extended-thinking
/// turn shape (filler → turnComplete IN_PROGRESS → answer → turnComplete IDLE), INTERRUPT results held while the
/// user speaks, the 3.8 session limit.
/// </summary>
internal sealed partial class LiveConnection
{
    private ModelProfile _profile = ModelProfile.Default;

    /// <summary>The extended-thinking model's answer, spoken once its filler turn is over and it has "thought".</summary>
    private ReplyPlan? _pendingThought;
    private DateTimeOffset? _thoughtDueAt;

    /// <summary>Replies to INTERRUPT results that arrived while the user was speaking (3.8 waits for the end of speech).</summary>
    private readonly List<string> _heldInterruptReplies = [];

    /// <summary>Set while a turn is cut for an INTERRUPT result: its turnComplete says the model goes on.</summary>
    private bool _replyingToResult;

    private bool SendsOutputTranscription =>
        _setup!.OutputTranscription || (_profile.IsLive38 && _options.Live38.UnrequestedOutputTranscription);

    /// <summary>The model's reply to a user turn: the extended-thinking model first says its filler and thinks.</summary>
    private async Task StartReplyToUserAsync(ReplyPlan plan)
    {
        _pendingThought = null;
        _thoughtDueAt = null;
        if (_profile.ExtendedThinking && plan is SpeakPlan)
        {
            _pendingThought = plan;
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
        if (!_profile.IsLive38 || !InUserActivity)
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

        var pending = _nonBlocking.Count > 0 || _deferred.Count > 0 || _pendingThought is not null
            || _heldInterruptReplies.Count > 0 || _replyingToResult;
        return pending ? InteractionStatus.InProgress : InteractionStatus.Idle;
    }

    /// <summary>A filler turn that ended normally starts the thinking time; an interrupted one drops the thought.</summary>
    private void OnTurnEndedForThinking(bool interrupted)
    {
        if (_pendingThought is null || _thoughtDueAt is not null)
        {
            return;
        }

        if (interrupted)
        {
            _pendingThought = null;
            return;
        }

        _thoughtDueAt = Now + _options.Live38.ThinkingTime;
    }

    private async Task SpeakThoughtAsync()
    {
        var plan = _pendingThought;
        _pendingThought = null;
        _thoughtDueAt = null;
        if (plan is null)
        {
            return;
        }

        if (_turn is not null)
        {
            _deferred.Enqueue(() => SpeakThoughtPlanAsync(plan));
            return;
        }

        await SpeakThoughtPlanAsync(plan);
    }

    private async Task SpeakThoughtPlanAsync(ReplyPlan plan)
    {
        await StartModelTurnAsync(plan);
        if (_turn is { } turn)
        {
            turn.ThoughtsTokens = _options.Live38.ThoughtsTokenCount;
        }
    }

    /// <summary>3.8 sessions end at <see cref="Configuration.Live38Options.SessionLimit"/>, compression or not (§3.6).</summary>
    private TimeSpan ApplyModelSessionLimit(TimeSpan cap)
    {
        var limit = _options.Live38.SessionLimit;
        if (!_profile.IsLive38 || limit <= TimeSpan.Zero)
        {
            return cap;
        }

        return cap <= TimeSpan.Zero || limit < cap ? limit : cap;
    }
}
