using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;
using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Client input after setup, by kind: realtime audio/video/text, activity signals, clientContent, tool responses.
/// Speech becomes user turns (or barge-in), replies are left to <see cref="ReplyScheduler"/>.
/// </summary>
/// <param name="onVideoStarted">Runs when the session first gets video (it shortens the session cap).</param>
internal sealed class ClientInputDispatcher(
    ValidatedSetup validated,
    LiveSender sender,
    GeminiEmulatorOptions options,
    SessionBinding binding,
    UserInput input,
    ModelTurnRunner runner,
    ReplyScheduler replies,
    ResumptionUpdates resumption,
    bool onVertex,
    Action onVideoStarted)
{
    private const string ExplicitActivityWithAutomaticVad =
        "Explicit activity control is not supported when automatic activity detection is enabled.";

    private readonly SessionSetup _setup = validated.Setup;
    private bool _awaitingInitialHistory = validated.Setup.InitialHistoryInClientContent;
    private string? _triggeredFault; // set by a user turn naming a fault (Faults:TextTriggers), acted on after it

    /// <summary>The fault the last message's user turn named, once; null when none.</summary>
    public string? TakeTriggeredFault()
    {
        var fault = _triggeredFault;
        _triggeredFault = null;
        return fault;
    }

    public async Task HandleAsync(ClientMessage message)
    {
        switch (message)
        {
            case SetupMessage:
                // The config cannot change on an open connection.
                await sender.CloseAsync(CloseDirective.Invalid());
                break;
            case AudioInput audio:
                await OnAudioAsync(audio);
                break;
            case VideoInput:
                input.AddVideoFrame();
                if (binding.MarkVideo())
                {
                    // Audio+video sessions have a shorter cap (2 min without compression).
                    onVideoStarted();
                }

                break;
            case TextInput text when !_awaitingInitialHistory:
                if (options.Faults.TextTriggers)
                {
                    _triggeredFault ??= FaultTrigger.Find(text.Text); // 3.1 takes user text only this way
                }

                await replies.SubmitUserTurnAsync([input.UserText(text.Text)], respond: true);
                break;
            case ActivityStartInput or ActivityEndInput when _setup.AutomaticActivityDetection:
                if (options.Strict.RejectActivitySignalsWithAutomaticVad)
                {
                    await sender.CloseAsync(CloseDirective.Invalid(ExplicitActivityWithAutomaticVad));
                }

                break;
            case ActivityStartInput:
                input.StartManualActivity();
                await OnActivityStartedAsync();
                break;
            case ActivityEndInput when input.InManualActivity:
                await OnActivityEndedAsync(input.EndManualActivity());
                break;
            case AudioStreamEndInput when _setup.AutomaticActivityDetection:
                // The mic paused: flush, ending any open speech segment now.
                if (input.Vad.Flush() is { } ended)
                {
                    if (validated.ExplicitVadSignal)
                    {
                        VadSignal.Write(sender.Begin(), VadSignal.EndOfSpeech);
                        await sender.SendAsync();
                    }

                    await OnActivityEndedAsync(ended.SpeechSeconds);
                }
                else if (_setup.IsLoopback)
                {
                    await EndLoopbackTurnAsync();
                }

                break;
            case MediaChunksInput chunks:
                foreach (var chunk in chunks.Chunks)
                {
                    await HandleAsync(chunk);
                }

                break;
            case ClientContentMessage content:
                await OnClientContentAsync(content);
                break;
            case ToolResponseMessage response:
                await replies.OnToolResponseAsync(response);
                break;
            default:
                // contextUpdate, a stray activityEnd, audioStreamEnd with manual VAD: nothing to do.
                break;
        }
    }

    private async Task OnAudioAsync(AudioInput audio)
    {
        if (_setup.IsLoopback)
        {
            // Latency path: echo every chunk at once as 24 kHz model audio of the same duration.
            var pcm = input.Echo(audio);
            if (pcm.Length > 0)
            {
                ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { AudioPcm = pcm }, options.Wire.ModelTurnRole);
                await sender.SendAsync();
            }

            // The echo never waits for a turn, but turns still end where the VAD says (as Gemini's do), so that
            // resumption handles advance at turn boundaries and a rollover does not re-send the whole session.
            if (_setup.AutomaticActivityDetection && input.Vad.Process(audio.Pcm, audio.SampleRate).Any(e => e.Kind != VadEventKind.SpeechStarted))
            {
                await EndLoopbackTurnAsync();
            }

            return;
        }

        if (_awaitingInitialHistory)
        {
            return;
        }

        if (!_setup.AutomaticActivityDetection)
        {
            input.AddManualAudio(audio);
            return;
        }

        foreach (var vadEvent in input.Vad.Process(audio.Pcm, audio.SampleRate))
        {
            if (validated.ExplicitVadSignal)
            {
                VadSignal.Write(sender.Begin(), vadEvent.Kind == VadEventKind.SpeechStarted ? VadSignal.StartOfSpeech : VadSignal.EndOfSpeech);
                await sender.SendAsync();
            }

            if (vadEvent.Kind == VadEventKind.SpeechStarted)
            {
                await OnActivityStartedAsync();
            }
            else
            {
                await OnActivityEndedAsync(vadEvent.SpeechSeconds);
            }
        }
    }

    /// <summary>Start of user speech: barge-in if the model is talking (unless NO_INTERRUPTION).</summary>
    private async Task OnActivityStartedAsync()
    {
        if (_setup.IsLoopback || !_setup.ActivityInterrupts)
        {
            return;
        }

        await runner.BargeInAsync();
    }

    private async Task OnActivityEndedAsync(double seconds)
    {
        if (_setup.IsLoopback)
        {
            await EndLoopbackTurnAsync();
            return;
        }

        if (seconds <= 0)
        {
            await replies.SpeakHeldInterruptResultsAsync();
            return;
        }

        var turn = input.UserSpeech(seconds);
        // Vertex's 2.5 native-audio model never sends input transcription (python-genai#2348).
        if (_setup.InputTranscription && !(onVertex && options.Vertex.DropsInputTranscription(_setup.ModelId)))
        {
            ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { InputTranscription = turn.Display });
            await sender.SendAsync();
        }

        await replies.SubmitUserTurnAsync([turn], respond: true);
    }

    private async Task OnClientContentAsync(ClientContentMessage content)
    {
        var turns = input.TurnsOf(content);

        if (_awaitingInitialHistory)
        {
            // historyConfig.initialHistoryInClientContent: seed context without running the model.
            foreach (var turn in turns)
            {
                binding.Conversation.Add(turn);
            }

            _awaitingInitialHistory = !content.TurnComplete;
            return;
        }

        if (validated.Profile.ClientContentOnlyAsHistory && options.Live31ClientContentOnlyAsHistory)
        {
            await sender.CloseAsync(CloseDirective.Invalid());
            return;
        }

        if (validated.Profile.ClientContentAlwaysInterrupts && content.TurnComplete && runner.Current is not null)
        {
            await runner.InterruptAsync();
        }

        if (options.Faults.TextTriggers)
        {
            _triggeredFault ??= turns.Where(t => t.Role == "user").Select(t => FaultTrigger.Find(t.Text)).FirstOrDefault(f => f is not null);
        }

        await replies.SubmitUserTurnAsync(turns, content.TurnComplete);
    }

    /// <summary>The loopback model's turn boundary: turnComplete, then (as after every turn) a resumable update.</summary>
    private async Task EndLoopbackTurnAsync()
    {
        ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { TurnComplete = true });
        await sender.SendAsync();
        await resumption.SendResumableAsync();
    }
}
