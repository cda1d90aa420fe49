using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The model turn in progress and its transitions. Model output is streamed faster than realtime in modelTurn chunks,
/// generationComplete when done, turnComplete (with usageMetadata) after the client's assumed playback; tool calls
/// block the turn. Work that must wait for the turn to end is queued here. Called only from the connection's event loop.
/// </summary>
internal sealed class ModelTurnRunner(
    ValidatedSetup setup,
    LiveSender sender,
    ModelTurnStreamer streamer,
    GeminiEmulatorOptions options,
    SessionBinding binding,
    FunctionCalls calls,
    ResumptionUpdates resumption,
    BackgroundThought thought,
    HeldInterruptReplies heldInterruptReplies,
    TimeProvider time,
    bool faulted,
    bool onVertex)
{
    private readonly ModelTurnToolCalls _toolCalls = new(setup, sender, streamer, options, binding, calls);

    /// <summary>Work waiting for the current model turn to end (NO_INTERRUPTION input, WHEN_IDLE tool results).</summary>
    private readonly Queue<Func<Task>> _deferred = new();

    /// <summary>When the client's playback of the last completed turn presumably ends (null once interrupted).</summary>
    private DateTimeOffset? _playbackEnd;

    /// <summary>Set while a turn is cut for an INTERRUPT result: its turnComplete says the model goes on.</summary>
    private bool _replyingToResult;

    public ModelTurn? Current { get; private set; }

    /// <summary>When the current turn's next step is due; null when there is none or it waits for tool results.</summary>
    public DateTimeOffset? NextDue => Current switch
    {
        { Stage: ModelTurnStage.Thinking or ModelTurnStage.Streaming } turn => turn.NextDue,
        { Stage: ModelTurnStage.Finishing } turn => turn.TurnCompleteAt,
        _ => null,
    };

    private DateTimeOffset Now => time.GetUtcNow();

    private TimeSpan ReplyDelay => options.ReplyDelayFor(setup.Setup.ModelId)
        + (faulted ? TimeSpan.FromMilliseconds(options.Faults.ReplyDelayMs) : TimeSpan.Zero);

    private bool SendsOutputTranscription =>
        setup.Setup.OutputTranscription || (setup.Profile.IsLive38 && options.Live38.UnrequestedOutputTranscription);

    private UsageFieldNames UsageNames => onVertex ? UsageFieldNames.Vertex : UsageFieldNames.DeveloperApi;

    /// <summary>Queues work for when a model turn next completes (an interrupted turn leaves it queued).</summary>
    public void Defer(Func<Task> work) => _deferred.Enqueue(work);

    public async Task StartAsync(ReplyPlan plan)
    {
        if (sender.Closed)
        {
            return;
        }

        var turn = new ModelTurn
        {
            Plan = plan,
            NextDue = Now + ReplyDelay,
            PromptTokens = binding.Conversation.ContextTokens,
            // Extended thinking reports its thoughts on the answer after the filler (ReplyScheduler.SpeakThoughtPlanAsync).
            ThoughtsTokens = setup.Profile.ExtendedThinking ? 0 : setup.Thinking?.ThoughtsTokens(options.Live38.ThoughtsTokenCount) ?? 0,
        };
        Current = turn;
        resumption.CancelIdleUpdate();

        await resumption.SendNotResumableAsync();
        if (options.Wire.EmitEmptyServerContent)
        {
            ServerMessages.ServerContent(sender.Begin(), default);
            await sender.SendAsync();
        }

        if (options.Wire.EmitInterimUsage)
        {
            ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { Usage = Report(new UsageNumbers(turn.PromptTokens, default, 0)), UsageNames = UsageNames });
            await sender.SendAsync();
        }
    }

    public async Task AdvanceAsync(DateTimeOffset now)
    {
        if (Current is not { } turn)
        {
            return;
        }

        switch (turn.Stage)
        {
            case ModelTurnStage.Thinking when turn.NextDue <= now:
                await ActOnPlanAsync(turn, now);
                break;
            case ModelTurnStage.Streaming when turn.NextDue <= now:
                await streamer.SendNextChunkAsync(turn, now, SendsOutputTranscription);
                break;
            case ModelTurnStage.Finishing when turn.TurnCompleteAt <= now:
                await CompleteAsync(turn, interrupted: false);
                break;
        }
    }

    /// <summary>Records the result of one of the current turn's blocking calls; false when the response answers none.</summary>
    public bool AnswerBlockingCall(FunctionResponseItem response) => ModelTurnToolCalls.Answer(Current, response);

    /// <summary>Once every blocking call is answered, the turn goes on: it thinks again, then speaks the results.</summary>
    public void ContinueIfToolsAnswered()
    {
        if (Current is { Stage: ModelTurnStage.WaitingForTool, PendingBlocking.Count: 0 } turn)
        {
            _toolCalls.ContinueAfterAnswers(turn);
            turn.NextDue = Now + ReplyDelay;
        }
    }

    /// <summary>Barge-in: pending calls are cancelled, interrupted (no generationComplete), then turnComplete.</summary>
    public async Task InterruptAsync()
    {
        if (Current is { } turn)
        {
            await CompleteAsync(turn, interrupted: true);
        }
    }

    /// <summary>Cuts the current turn for an INTERRUPT result; its turnComplete says the model goes on.</summary>
    public async Task InterruptForResultAsync()
    {
        if (Current is null)
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

    /// <summary>Start of user speech: interrupts the turn, or a completed one the client is presumably still playing.</summary>
    public async Task BargeInAsync()
    {
        if (Current is not null)
        {
            await InterruptAsync();
        }
        else if (_playbackEnd is { } playbackEnd && playbackEnd > Now)
        {
            _playbackEnd = null;
            ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { Interrupted = true });
            await sender.SendAsync();
        }
    }

    private async Task ActOnPlanAsync(ModelTurn turn, DateTimeOffset now)
    {
        var plan = turn.Plan;
        turn.Plan = null;
        switch (plan)
        {
            case ToolCallPlan call:
                await _toolCalls.CallAsync(turn, [call], now);
                break;
            case ParallelToolCallsPlan parallel:
                await _toolCalls.CallAsync(turn, parallel.Calls, now);
                break;
            case SpeakPlan speak:
                streamer.BeginSegment(turn, setup.Setup.AudioResponse, speak.Text, now);
                break;
        }
    }

    private async Task CompleteAsync(ModelTurn turn, bool interrupted)
    {
        var usage = new UsageNumbers(turn.PromptTokens, ResponseTokens(turn), turn.ToolUseTokens, turn.ThoughtsTokens);
        if (interrupted)
        {
            if (turn.PendingBlocking.Count > 0 && options.Tools.CancelOnInterruption)
            {
                ServerMessages.ToolCallCancellation(sender.Begin(), turn.PendingBlocking.Select(c => c.Id));
                await sender.SendAsync();
            }

            ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { Interrupted = true });
            await sender.SendAsync();
        }

        // pipecat expects usageMetadata in the same frame as turnComplete.
        if (interrupted)
        {
            thought.Drop();
        }

        ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { TurnComplete = true, Usage = Report(usage), UsageNames = UsageNames, InteractionStatus = InteractionStatusNow() });
        await sender.SendAsync();
        binding.CumulativeUsage += usage;

        // Only what reached the client stays in history.
        if (turn.Spoken.Length > 0)
        {
            binding.Conversation.Add(new ConversationTurn("model", turn.Spoken.ToString(), turn.AudioSecondsSent, usage.Response));
        }

        _playbackEnd = interrupted ? null : turn.PlaybackEnd;
        Current = null;
        thought.OnTurnEnded(interrupted, Now, options.Live38.ThinkingTime);
        await resumption.SendResumableAsync();

        if (!interrupted)
        {
            while (Current is null && !sender.Closed && _deferred.TryDequeue(out var next))
            {
                await next();
            }
        }
    }

    /// <summary>The interactionStatus for a turnComplete, before the next piece of work is started.</summary>
    private string? InteractionStatusNow()
    {
        if (!setup.Profile.ReportsInteractionStatus)
        {
            return null;
        }

        var pending = calls.AnyNonBlockingPending || _deferred.Count > 0 || thought.Pending
            || heldInterruptReplies.Any || _replyingToResult;
        return pending ? InteractionStatus.InProgress : InteractionStatus.Idle;
    }

    private ModalityTokens ResponseTokens(ModelTurn turn) => setup.Setup.AudioResponse
        ? new ModalityTokens(0, TokenCounter.Audio(turn.AudioSecondsSent, options.AudioTokensPerSecond), 0)
        : new ModalityTokens(TokenCounter.Text(turn.Spoken.ToString()), 0, 0);

    /// <summary>Per-turn numbers, or running totals when GeminiEmulator:UsageCumulative is set.</summary>
    private UsageNumbers Report(UsageNumbers turnUsage) =>
        options.UsageCumulative && !setup.Profile.PerTurnUsage ? binding.CumulativeUsage + turnUsage : turnUsage;
}
