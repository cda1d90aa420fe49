using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Model output: streamed faster than realtime in modelTurn chunks, generationComplete when done,
/// turnComplete (with usageMetadata) after the client's assumed playback; tool calls block the turn.
/// </summary>
internal sealed partial class LiveConnection
{
    private ModelTurn? _turn;
    private DateTimeOffset? _playbackEnd;
    private readonly ModelTurnStreamer _streamer;
    private readonly FunctionCalls _calls;

    private TimeSpan ReplyDelay => _options.ReplyDelayFor(_setup!.ModelId)
        + (_faulted ? TimeSpan.FromMilliseconds(_options.Faults.ReplyDelayMs) : TimeSpan.Zero);

    private async Task StartModelTurnAsync(ReplyPlan plan)
    {
        if (_out.Closed)
        {
            return;
        }

        var turn = new ModelTurn
        {
            Plan = plan,
            NextDue = Now + ReplyDelay,
            PromptTokens = _binding.Conversation.ContextTokens,
            // Extended thinking reports its thoughts on the answer after the filler (SpeakThoughtPlanAsync).
            ThoughtsTokens = _profile.ExtendedThinking ? 0 : _thinking?.ThoughtsTokens(_options.Live38.ThoughtsTokenCount) ?? 0,
        };
        _turn = turn;
        _idleUpdateAt = null;

        await SendNotResumableUpdateAsync();
        if (_options.Wire.EmitEmptyServerContent)
        {
            ServerMessages.ServerContent(_out.Begin(), default);
            await _out.SendAsync();
        }

        if (_options.Wire.EmitInterimUsage)
        {
            ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { Usage = Report(new UsageNumbers(turn.PromptTokens, default, 0)), UsageNames = UsageNames });
            await _out.SendAsync();
        }
    }

    private async Task AdvanceTurnAsync(DateTimeOffset now)
    {
        var turn = _turn!;
        switch (turn.Stage)
        {
            case ModelTurnStage.Thinking when turn.NextDue <= now:
                await ActOnPlanAsync(turn, now);
                break;
            case ModelTurnStage.Streaming when turn.NextDue <= now:
                await _streamer.SendNextChunkAsync(turn, now, SendsOutputTranscription);
                break;
            case ModelTurnStage.Finishing when turn.TurnCompleteAt <= now:
                await CompleteTurnAsync(turn, interrupted: false);
                break;
        }
    }

    private async Task ActOnPlanAsync(ModelTurn turn, DateTimeOffset now)
    {
        var plan = turn.Plan;
        turn.Plan = null;
        switch (plan)
        {
            case ToolCallPlan call:
                await CallToolsAsync(turn, [call], now);
                break;
            case ParallelToolCallsPlan parallel:
                await CallToolsAsync(turn, parallel.Calls, now);
                break;
            case SpeakPlan speak:
                _streamer.BeginSegment(turn, _setup!.AudioResponse, speak.Text, now);
                break;
        }
    }

    /// <summary>
    /// One toolCall message with every call. Blocking calls hold the turn until all are answered; NON_BLOCKING ones
    /// let it go on (<c>Calling a.</c> is spoken only when no call blocks).
    /// </summary>
    private async Task CallToolsAsync(ModelTurn turn, IReadOnlyList<ToolCallPlan> calls, DateTimeOffset now)
    {
        var pending = FunctionCalls.Number(calls, _binding);
        ServerMessages.ToolCall(_out.Begin(), pending);
        await _out.SendAsync();
        foreach (var call in pending)
        {
            if (call.NonBlocking)
            {
                _calls.AwaitNonBlocking(call);
            }
            else
            {
                turn.PendingBlocking.Add(call);
                turn.Issued.Add(call);
            }
        }

        if (turn.PendingBlocking.Count > 0)
        {
            turn.Stage = ModelTurnStage.WaitingForTool;
        }
        else
        {
            // 3.8 keeps talking with a filler line; older models announce the call.
            _streamer.BeginSegment(turn, _setup!.AudioResponse, _profile.IsLive38 ? _options.Live38.ToolFiller : string.Join(" ", pending.Select(c => $"Calling {c.Name}.")), now);
        }
    }

    private void ContinueAfterTools(ModelTurn turn)
    {
        var replies = new List<string>();
        // Parallel calls are answered in any order (one toolResponse or several); the reply follows the calls' order.
        turn.Answered.Sort((a, b) => turn.Issued.IndexOf(a.Call).CompareTo(turn.Issued.IndexOf(b.Call)));
        foreach (var (call, result) in turn.Answered)
        {
            FunctionCalls.AddExchangeToHistory(_binding.Conversation, call, result);
            turn.ToolUseTokens += TokenCounter.Text(result.ResponseJson);
            replies.Add(result.Reply);
        }

        turn.Answered.Clear();
        turn.Issued.Clear();
        turn.Plan = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, replies));
        turn.Stage = ModelTurnStage.Thinking;
        turn.NextDue = Now + ReplyDelay;
    }

    /// <summary>Barge-in: pending calls are cancelled, interrupted (no generationComplete), then turnComplete.</summary>
    private async Task InterruptAsync()
    {
        if (_turn is { } turn)
        {
            await CompleteTurnAsync(turn, interrupted: true);
        }
    }

    private async Task CompleteTurnAsync(ModelTurn turn, bool interrupted)
    {
        var usage = new UsageNumbers(turn.PromptTokens, ResponseTokens(turn), turn.ToolUseTokens, turn.ThoughtsTokens);
        if (interrupted)
        {
            if (turn.PendingBlocking.Count > 0 && _options.Tools.CancelOnInterruption)
            {
                ServerMessages.ToolCallCancellation(_out.Begin(), turn.PendingBlocking.Select(c => c.Id));
                await _out.SendAsync();
            }

            ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { Interrupted = true });
            await _out.SendAsync();
        }

        // pipecat expects usageMetadata in the same frame as turnComplete.
        if (interrupted)
        {
            _thought.Drop();
        }

        ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { TurnComplete = true, Usage = Report(usage), UsageNames = UsageNames, InteractionStatus = InteractionStatusNow() });
        await _out.SendAsync();
        _binding.CumulativeUsage += usage;

        // Only what reached the client stays in history.
        if (turn.Spoken.Length > 0)
        {
            _binding.Conversation.Add(new ConversationTurn("model", turn.Spoken.ToString(), turn.AudioSecondsSent, usage.Response));
        }

        _playbackEnd = interrupted ? null : turn.PlaybackEnd;
        _turn = null;
        _thought.OnTurnEnded(interrupted, Now, _options.Live38.ThinkingTime);
        await SendResumableUpdateAsync();

        if (!interrupted)
        {
            while (_turn is null && !_out.Closed && _deferred.TryDequeue(out var next))
            {
                await next();
            }
        }
    }

    private ModalityTokens ResponseTokens(ModelTurn turn) => _setup!.AudioResponse
        ? new ModalityTokens(0, TokenCounter.Audio(turn.AudioSecondsSent, _options.AudioTokensPerSecond), 0)
        : new ModalityTokens(TokenCounter.Text(turn.Spoken.ToString()), 0, 0);

    private UsageFieldNames UsageNames => OnVertex ? UsageFieldNames.Vertex : UsageFieldNames.DeveloperApi;

    /// <summary>Per-turn numbers, or running totals when GeminiEmulator:UsageCumulative is set.</summary>
    private UsageNumbers Report(UsageNumbers turnUsage) =>
        _options.UsageCumulative && !_profile.PerTurnUsage ? _binding.CumulativeUsage + turnUsage : turnUsage;
}
