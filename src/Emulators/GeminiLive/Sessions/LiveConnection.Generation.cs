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
    private readonly Dictionary<string, PendingFunctionCall> _nonBlocking = new(StringComparer.Ordinal);

    private TimeSpan ReplyDelay => _options.ReplyDelayFor(_setup!.ModelId)
        + (_faulted ? TimeSpan.FromMilliseconds(_options.Faults.ReplyDelayMs) : TimeSpan.Zero);

    private async Task StartModelTurnAsync(ReplyPlan plan)
    {
        if (_closed)
        {
            return;
        }

        var turn = new ModelTurn
        {
            Plan = plan,
            NextDue = Now + ReplyDelay,
            PromptTokens = _conversation.ContextTokens,
            // Extended thinking reports its thoughts on the answer after the filler (SpeakThoughtPlanAsync).
            ThoughtsTokens = _profile.ExtendedThinking ? 0 : _thinking?.ThoughtsTokens(_options.Live38.ThoughtsTokenCount) ?? 0,
        };
        _turn = turn;
        _idleUpdateAt = null;

        await SendNotResumableUpdateAsync();
        if (_options.Wire.EmitEmptyServerContent)
        {
            ServerMessages.ServerContent(Begin(), default);
            await SendAsync();
        }

        if (_options.Wire.EmitInterimUsage)
        {
            ServerMessages.ServerContent(Begin(), new ServerContentFrame { Usage = Report(new UsageNumbers(turn.PromptTokens, default, 0)), UsageNames = UsageNames });
            await SendAsync();
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
                await SendNextChunkAsync(turn, now);
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
                BeginSegment(turn, speak.Text, now);
                break;
        }
    }

    /// <summary>
    /// One toolCall message with every call. Blocking calls hold the turn until all are answered; NON_BLOCKING ones
    /// let it go on (<c>Calling a.</c> is spoken only when no call blocks).
    /// </summary>
    private async Task CallToolsAsync(ModelTurn turn, IReadOnlyList<ToolCallPlan> calls, DateTimeOffset now)
    {
        var pending = calls.Select(c => new PendingFunctionCall($"function-call-{_nextCallNumber++}", c.Name, c.Args, c.NonBlocking)).ToList();
        ServerMessages.ToolCall(Begin(), pending);
        await SendAsync();
        foreach (var call in pending)
        {
            if (call.NonBlocking)
            {
                // The conversation goes on; the result arrives later with its own scheduling.
                _nonBlocking[call.Id] = call;
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
            BeginSegment(turn, _profile.IsLive38 ? _options.Live38.ToolFiller : string.Join(" ", pending.Select(c => $"Calling {c.Name}.")), now);
        }
    }

    private void BeginSegment(ModelTurn turn, string text, DateTimeOffset now)
    {
        turn.Segment = text;
        turn.TextOffset = 0;
        turn.AudioOffset = 0;
        turn.SegmentAudio = _setup!.AudioResponse ? SpeechSynthesizer.Synthesize(text, _options.Output.MsPerCharacter) : null;
        turn.Stage = ModelTurnStage.Streaming;
        turn.NextDue = now;
    }

    private async Task SendNextChunkAsync(ModelTurn turn, DateTimeOffset now)
    {
        var output = _options.Output;
        var speed = output.GenerationSpeed;
        TimeSpan interval;
        bool done;
        if (turn.SegmentAudio is { } audio)
        {
            var chunkBytes = Math.Max(2, SpeechSynthesizer.SampleRate * 2 * output.ChunkMs / 1000) & ~1;
            var count = Math.Min(chunkBytes, audio.Length - turn.AudioOffset);
            var chunk = audio.AsMemory(turn.AudioOffset, count);
            turn.AudioOffset += count;
            done = turn.AudioOffset >= audio.Length;

            var covered = (int)((long)turn.AudioOffset * turn.Segment.Length / audio.Length);
            var fragment = TakeTranscript(turn, covered, done);
            var seconds = count / 2.0 / SpeechSynthesizer.SampleRate;
            turn.AudioSecondsSent += seconds;
            var playbackStart = turn.PlaybackEnd is { } end && end > now ? end : now;
            turn.PlaybackEnd = playbackStart + TimeSpan.FromSeconds(seconds);

            var transcription = SendsOutputTranscription && fragment.Length > 0 ? fragment : null;
            if (_options.Wire.BundleTranscriptions)
            {
                ServerMessages.ServerContent(Begin(), new ServerContentFrame { AudioPcm = chunk, OutputTranscription = transcription }, _options.Wire.ModelTurnRole);
                await SendAsync();
            }
            else
            {
                ServerMessages.ServerContent(Begin(), new ServerContentFrame { AudioPcm = chunk }, _options.Wire.ModelTurnRole);
                await SendAsync();
                if (transcription is not null)
                {
                    ServerMessages.ServerContent(Begin(), new ServerContentFrame { OutputTranscription = transcription });
                    await SendAsync();
                }
            }

            interval = speed > 0 ? TimeSpan.FromMilliseconds(output.ChunkMs / speed) : TimeSpan.Zero;
        }
        else
        {
            var count = Math.Min(Math.Max(1, output.TextChunkChars), turn.Segment.Length - turn.TextOffset);
            var piece = turn.Segment.Substring(turn.TextOffset, count);
            turn.TextOffset += count;
            turn.Spoken.Append(piece);
            done = turn.TextOffset >= turn.Segment.Length;
            ServerMessages.ServerContent(Begin(), new ServerContentFrame { ModelText = piece }, _options.Wire.ModelTurnRole);
            await SendAsync();
            interval = speed > 0 ? TimeSpan.FromMilliseconds(count * output.MsPerCharacter / speed) : TimeSpan.Zero;
        }

        if (!done)
        {
            turn.NextDue = now + interval;
            return;
        }

        ServerMessages.ServerContent(Begin(), new ServerContentFrame { GenerationComplete = true });
        await SendAsync();
        turn.Stage = ModelTurnStage.Finishing;
        var completeAt = output.TurnCompleteAfterPlayback && turn.PlaybackEnd is { } playback && playback > now ? playback : now;
        turn.TurnCompleteAt = completeAt + output.TurnCompleteDelay;
    }

    /// <summary>Transcript fragments end at word boundaries (" Echo:", " hello"), the rest goes with the last chunk.</summary>
    private static string TakeTranscript(ModelTurn turn, int coveredChars, bool final)
    {
        var text = turn.Segment;
        var end = final ? text.Length : coveredChars <= 0 ? 0 : text.LastIndexOf(' ', Math.Min(coveredChars, text.Length) - 1) + 1;
        if (end <= turn.TextOffset)
        {
            return string.Empty;
        }

        var fragment = text[turn.TextOffset..end];
        turn.TextOffset = end;
        turn.Spoken.Append(fragment);
        return fragment;
    }

    private void ContinueAfterTools(ModelTurn turn)
    {
        var replies = new List<string>();
        // Parallel calls are answered in any order (one toolResponse or several); the reply follows the calls' order.
        turn.Answered.Sort((a, b) => turn.Issued.IndexOf(a.Call).CompareTo(turn.Issued.IndexOf(b.Call)));
        foreach (var (call, result) in turn.Answered)
        {
            AddToolExchangeToHistory(call, result);
            turn.ToolUseTokens += TokenCounter.Text(result.ResponseJson);
            replies.Add(result.Reply);
        }

        turn.Answered.Clear();
        turn.Issued.Clear();
        turn.Plan = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, replies));
        turn.Stage = ModelTurnStage.Thinking;
        turn.NextDue = Now + ReplyDelay;
    }

    private void AddToolExchangeToHistory(PendingFunctionCall call, FunctionResultText result)
    {
        var callText = $"{call.Name}({call.Args.GetRawText()})";
        _conversation.Add(new ConversationTurn("model", callText, 0, new ModalityTokens(TokenCounter.Text(callText), 0, 0), TurnKind.FunctionCall));
        _conversation.Add(new ConversationTurn("user", result.ResponseJson, 0, new ModalityTokens(TokenCounter.Text(result.ResponseJson), 0, 0), TurnKind.FunctionResponse));
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
                ServerMessages.ToolCallCancellation(Begin(), turn.PendingBlocking.Select(c => c.Id));
                await SendAsync();
            }

            ServerMessages.ServerContent(Begin(), new ServerContentFrame { Interrupted = true });
            await SendAsync();
        }

        // pipecat expects usageMetadata in the same frame as turnComplete.
        if (interrupted)
        {
            _thought.Drop();
        }

        ServerMessages.ServerContent(Begin(), new ServerContentFrame { TurnComplete = true, Usage = Report(usage), UsageNames = UsageNames, InteractionStatus = InteractionStatusNow() });
        await SendAsync();
        _cumulativeUsage += usage;

        // Only what reached the client stays in history.
        if (turn.Spoken.Length > 0)
        {
            _conversation.Add(new ConversationTurn("model", turn.Spoken.ToString(), turn.AudioSecondsSent, usage.Response));
        }

        _playbackEnd = interrupted ? null : turn.PlaybackEnd;
        _turn = null;
        _thought.OnTurnEnded(interrupted, Now, _options.Live38.ThinkingTime);
        await SendResumableUpdateAsync();

        if (!interrupted)
        {
            while (_turn is null && !_closed && _deferred.TryDequeue(out var next))
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
        _options.UsageCumulative && !_profile.PerTurnUsage ? _cumulativeUsage + turnUsage : turnUsage;
}
