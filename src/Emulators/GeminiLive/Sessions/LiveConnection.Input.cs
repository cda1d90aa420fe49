using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;
using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>Client input after setup: realtime audio/video/text, activity signals, clientContent, tool responses.</summary>
internal sealed partial class LiveConnection
{
    private const string ExplicitActivityWithAutomaticVad =
        "Explicit activity control is not supported when automatic activity detection is enabled.";

    private readonly UserInput _input;

    /// <summary>Work waiting for the current model turn to end (NO_INTERRUPTION input, WHEN_IDLE tool results).</summary>
    private readonly Queue<Func<Task>> _deferred = new();

    private async Task HandleSessionMessageAsync(ClientMessage message)
    {
        var setup = _setup!;
        switch (message)
        {
            case SetupMessage:
                // The config cannot change on an open connection.
                await _out.CloseAsync(CloseDirective.Invalid());
                break;
            case AudioInput audio:
                await OnAudioAsync(audio, setup);
                break;
            case VideoInput:
                OnVideo();
                break;
            case TextInput text when !_awaitingInitialHistory:
                if (_options.Faults.TextTriggers)
                {
                    _triggeredFault ??= FaultTrigger.Find(text.Text); // 3.1 takes user text only this way
                }

                await SubmitUserTurnAsync([_input.UserText(text.Text)], respond: true);
                break;
            case ActivityStartInput or ActivityEndInput when setup.AutomaticActivityDetection:
                if (_options.Strict.RejectActivitySignalsWithAutomaticVad)
                {
                    await _out.CloseAsync(CloseDirective.Invalid(ExplicitActivityWithAutomaticVad));
                }

                break;
            case ActivityStartInput:
                _input.StartManualActivity();
                await OnActivityStartedAsync();
                break;
            case ActivityEndInput when _input.InManualActivity:
                await OnActivityEndedAsync(_input.EndManualActivity(), setup);
                break;
            case AudioStreamEndInput when setup.AutomaticActivityDetection:
                // The mic paused: flush, ending any open speech segment now.
                if (_input.Vad.Flush() is { } ended)
                {
                    if (_explicitVadSignal)
                    {
                        VadSignal.Write(_out.Begin(), VadSignal.EndOfSpeech);
                        await _out.SendAsync();
                    }

                    await OnActivityEndedAsync(ended.SpeechSeconds, setup);
                }
                else if (setup.IsLoopback)
                {
                    await EndLoopbackTurnAsync();
                }

                break;
            case MediaChunksInput chunks:
                foreach (var chunk in chunks.Chunks)
                {
                    await HandleSessionMessageAsync(chunk);
                }

                break;
            case ClientContentMessage content:
                await OnClientContentAsync(content);
                break;
            case ToolResponseMessage response:
                await OnToolResponseAsync(response);
                break;
            default:
                // contextUpdate, a stray activityEnd, audioStreamEnd with manual VAD: nothing to do.
                break;
        }
    }

    private async Task OnAudioAsync(AudioInput audio, SessionSetup setup)
    {
        if (setup.IsLoopback)
        {
            // Latency path: echo every chunk at once as 24 kHz model audio of the same duration.
            var pcm = _input.Echo(audio);
            if (pcm.Length > 0)
            {
                ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { AudioPcm = pcm }, _options.Wire.ModelTurnRole);
                await _out.SendAsync();
            }

            // The echo never waits for a turn, but turns still end where the VAD says (as Gemini's do), so that
            // resumption handles advance at turn boundaries and a rollover does not re-send the whole session.
            if (setup.AutomaticActivityDetection && _input.Vad.Process(audio.Pcm, audio.SampleRate).Any(e => e.Kind != VadEventKind.SpeechStarted))
            {
                await EndLoopbackTurnAsync();
            }

            return;
        }

        if (_awaitingInitialHistory)
        {
            return;
        }

        if (!setup.AutomaticActivityDetection)
        {
            _input.AddManualAudio(audio);
            return;
        }

        foreach (var vadEvent in _input.Vad.Process(audio.Pcm, audio.SampleRate))
        {
            if (_explicitVadSignal)
            {
                VadSignal.Write(_out.Begin(), vadEvent.Kind == VadEventKind.SpeechStarted ? VadSignal.StartOfSpeech : VadSignal.EndOfSpeech);
                await _out.SendAsync();
            }

            if (vadEvent.Kind == VadEventKind.SpeechStarted)
            {
                await OnActivityStartedAsync();
            }
            else
            {
                await OnActivityEndedAsync(vadEvent.SpeechSeconds, setup);
            }
        }
    }

    private void OnVideo()
    {
        _input.AddVideoFrame();
        if (_binding.MarkVideo())
        {
            // Audio+video sessions have a shorter cap (2 min without compression).
            ScheduleSessionCap();
        }
    }

    /// <summary>Start of user speech: barge-in if the model is talking (unless NO_INTERRUPTION).</summary>
    private async Task OnActivityStartedAsync()
    {
        if (_setup!.IsLoopback || !_setup.ActivityInterrupts)
        {
            return;
        }

        if (_turn is not null)
        {
            await InterruptAsync();
        }
        else if (_playbackEnd is { } playbackEnd && playbackEnd > Now)
        {
            // The turn already completed but the client is presumably still playing it.
            _playbackEnd = null;
            ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { Interrupted = true });
            await _out.SendAsync();
        }
    }

    private async Task OnActivityEndedAsync(double seconds, SessionSetup setup)
    {
        if (setup.IsLoopback)
        {
            await EndLoopbackTurnAsync();
            return;
        }

        if (seconds <= 0)
        {
            await SpeakHeldInterruptResultsAsync();
            return;
        }

        var turn = _input.UserSpeech(seconds);
        // Vertex's 2.5 native-audio model never sends input transcription (python-genai#2348).
        if (setup.InputTranscription && !(OnVertex && _options.Vertex.DropsInputTranscription(setup.ModelId)))
        {
            ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { InputTranscription = turn.Display });
            await _out.SendAsync();
        }

        await SubmitUserTurnAsync([turn], respond: true);
    }

    private async Task OnClientContentAsync(ClientContentMessage content)
    {
        var turns = _input.TurnsOf(content);

        if (_awaitingInitialHistory)
        {
            // historyConfig.initialHistoryInClientContent: seed context without running the model.
            foreach (var turn in turns)
            {
                _binding.Conversation.Add(turn);
            }

            _awaitingInitialHistory = !content.TurnComplete;
            return;
        }

        if (_profile.ClientContentOnlyAsHistory && _options.Live31ClientContentOnlyAsHistory)
        {
            await _out.CloseAsync(CloseDirective.Invalid());
            return;
        }

        if (_profile.ClientContentAlwaysInterrupts && content.TurnComplete && _turn is not null)
        {
            await InterruptAsync();
        }

        if (_options.Faults.TextTriggers)
        {
            _triggeredFault ??= turns.Where(t => t.Role == "user").Select(t => FaultTrigger.Find(t.Text)).FirstOrDefault(f => f is not null);
        }

        await SubmitUserTurnAsync(turns, content.TurnComplete);
    }

    /// <summary>Adds user content to the context and, when asked, lets the model answer.</summary>
    private async Task SubmitUserTurnAsync(IReadOnlyList<ConversationTurn> turns, bool respond)
    {
        if (_turn is not null && respond)
        {
            if (!_setup!.ActivityInterrupts)
            {
                _deferred.Enqueue(() => SubmitUserTurnAsync(turns, respond));
                return;
            }

            await InterruptAsync();
        }

        foreach (var turn in turns)
        {
            _binding.Conversation.Add(turn);
        }

        if (!_binding.FitContextWindow(_setup!))
        {
            // Context exhausted without compression.
            await _out.CloseAsync(CloseDirective.Invalid());
            return;
        }

        if (!respond)
        {
            return;
        }

        var last = _binding.Conversation.LastUserMessage();
        var plan = last is null
            ? new SpeakPlan("Echo: ")
            : ReplyPlanner.ForUserTurn(last, _binding.Conversation, _setup!, _options.DemoToolCalls);
        await StartReplyToUserAsync(plan);
    }

    private async Task OnToolResponseAsync(ToolResponseMessage message)
    {
        foreach (var response in message.Responses)
        {
            if (_turn?.PendingBlocking.Find(c => c.Id == response.Id) is { } call)
            {
                _turn.PendingBlocking.Remove(call);
                _turn.Answered.Add((call, FunctionCalls.ResultOf(call, response)));
            }
            else if (_calls.TakeNonBlocking(response) is { } nonBlocking)
            {
                await OnNonBlockingResultAsync(nonBlocking, response);
            }

            // Unknown ids (e.g. a cancelled call) are ignored.
        }

        if (_turn is { Stage: ModelTurnStage.WaitingForTool, PendingBlocking.Count: 0 } turn)
        {
            ContinueAfterTools(turn);
        }
    }

    /// <summary>NON_BLOCKING results: scheduling INTERRUPT speaks now, WHEN_IDLE after the current turn, SILENT never.</summary>
    private async Task OnNonBlockingResultAsync(PendingFunctionCall call, FunctionResponseItem response)
    {
        var result = FunctionCalls.ResultOf(call, response);
        FunctionCalls.AddExchangeToHistory(_binding.Conversation, call, result);
        var scheduling = _calls.SchedulingOf(response) ?? "WHEN_IDLE";
        switch (scheduling)
        {
            case "SILENT":
                return;
            case "INTERRUPT" or "INTERRUPTED":
                if (HoldInterruptResult(result))
                {
                    return;
                }

                await InterruptForResultAsync();
                await StartModelTurnAsync(new SpeakPlan(result.Reply));
                return;
            default:
                if (_turn is not null)
                {
                    _deferred.Enqueue(() => StartModelTurnAsync(new SpeakPlan(result.Reply)));
                }
                else
                {
                    await StartModelTurnAsync(new SpeakPlan(result.Reply));
                }

                return;
        }
    }

    /// <summary>The loopback model's turn boundary: turnComplete, then (as after every turn) a resumable update.</summary>
    private async Task EndLoopbackTurnAsync()
    {
        ServerMessages.ServerContent(_out.Begin(), new ServerContentFrame { TurnComplete = true });
        await _out.SendAsync();
        await SendResumableUpdateAsync();
    }
}
