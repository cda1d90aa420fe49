using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The user's side of a Gemini session: client audio resampled to 16 kHz and either streamed to Gemini (server VAD;
/// the router VAD times speech_started / speech_stopped) or kept until response.create (manual turns, bracketed by
/// activityStart / activityEnd so that a commit alone does not make Gemini answer, as on OpenAI); commits and clears
/// of the input buffer; the spoken turn kept for a connection that has to hear it again. Callers hold the session's
/// gate.
/// </summary>
internal sealed class GeminiUserInput(
    IGeminiUserInputOwner owner, GeminiLink link, ClientEventStream events, GeminiAudioCodec audio, LocalConversation conversation,
    GeminiProviderOptions options) : IDisposable
{
    private const int UpstreamRate = GeminiClientMessages.InputRate;

    private readonly List<SpeechEvent> _vadEvents = [];
    private readonly PcmBuffer _manualAudio = new();
    private readonly List<string> _manualItems = [];
    private SpeechDetector _vad = new(new TurnDetectionSettings(), options.Vad, 0);
    private int _manualCommittedBytes;

    /// <summary>The input buffer, the spoken item being formed and the item awaiting its transcription.</summary>
    public GeminiUserTurn User { get; } = new();

    /// <summary>The audio of the spoken turn in progress, or of the last one until it is answered.</summary>
    public SpokenTurnAudio SpokenTurn { get; } = new(leadInBytes: UpstreamRate * 2 * 300 / 1000, maxBytes: UpstreamRate * 2 * 30);

    /// <summary>The user is speaking, or their spoken item is not committed yet.</summary>
    public bool TurnOpen => _vad.InSpeech || User.SpeechItemId is not null;

    /// <summary>Manual turns: audio committed and not yet sent (response.create sends it).</summary>
    public bool HasCommittedAudio => _manualCommittedBytes > 0;

    /// <summary>A committed manual-turn item whose audio has not gone up yet (Gemini does not have it).</summary>
    public bool IsUnsent(string itemId) => _manualItems.Contains(itemId);

    /// <summary>The router VAD runs with <paramref name="settings"/> from the start of the input (a new or restored session).</summary>
    public void DetectWith(TurnDetectionSettings settings) => _vad = new SpeechDetector(settings, options.Vad, 0);

    /// <summary>
    /// session.update changed turn detection: the router VAD and the audio routing follow the client's view at once
    /// (Gemini follows after its reconnect); speech in progress is forgotten.
    /// </summary>
    public void TurnDetectionChanged(TurnDetectionSettings settings)
    {
        _vad = new SpeechDetector(settings, options.Vad, User.InputSamples / (UpstreamRate / 50));
        User.ForgetSpeech();
        SpokenTurn.Forget();
    }

    /// <summary>A client audio chunk (PCM16 at <paramref name="sampleRate"/>).</summary>
    public async ValueTask AudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate)
    {
        var pcm16k = audio.ToUpstream(pcm16.Span, sampleRate);
        User.AudioIn(pcm16.Length * 500.0 / sampleRate, pcm16k.Length / 2);
        if (pcm16k.IsEmpty)
        {
            return;
        }

        if (!owner.Config.ServerVad)
        {
            _manualAudio.Append(pcm16k.Span);
            return;
        }

        SpokenTurn.Append(pcm16k.Span);
        _vadEvents.Clear();
        _vad.Process(pcm16k.Span, _vadEvents);
        foreach (var speech in _vadEvents)
        {
            if (speech.Started)
            {
                await SpeechStartedAsync(speech.AudioMs);
            }
            else
            {
                await SpeechStoppedAsync(speech.AudioMs);
            }
        }

        GeminiClientMessages.Audio(link.StartMessage(), pcm16k.Span);
        var connection = link.Switching ? null : link.Current;
        var index = connection?.NextMessageIndex ?? 0;
        await link.SendAsync();
        if (connection is not null && connection.NextMessageIndex == index + 1)
        {
            if (connection == link.Current) link.CoveredInput.Sent(index);
            link.HasAudio = true;
        }

        if (owner.SwitchPending)
        {
            await owner.SwitchMayBeDueAsync();
        }
    }

    /// <summary>The user started to speak (the router VAD heard it, or Gemini's barge-in implies it): speech_started.</summary>
    public async ValueTask SpeechStartedAsync(long audioStartMs)
    {
        await owner.UserTurnStartingAsync();
        await owner.CompleteInputTranscriptionAsync();
        var itemId = User.SpeechStarted();
        SpokenTurn.SpeechStarted();
        var w = events.StartEvent("input_audio_buffer.speech_started"u8);
        w.WriteNumber("audio_start_ms"u8, audioStartMs);
        w.WriteString("item_id"u8, itemId);
        await events.EmitAsync();
    }

    private async ValueTask SpeechStoppedAsync(long audioEndMs)
    {
        var (itemId, durationMs) = User.Commit();
        var w = events.StartEvent("input_audio_buffer.speech_stopped"u8);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        w.WriteString("item_id"u8, itemId);
        await events.EmitAsync();
        SpokenTurn.SpeechStopped(itemId);
        await CommitItemAsync(itemId, durationMs);

        // Gemini's automatic VAD ends the turn at the same point and answers; the response opens with its first output.
        owner.ReplyExpected();
    }

    /// <summary>input_audio_buffer.committed and the user's audio item (conversation.item.added / .done).</summary>
    private async ValueTask CommitItemAsync(string itemId, double durationMs)
    {
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user" };
        item.Content.Add(new ItemContent { Type = "input_audio", AudioMs = durationMs });
        var previous = conversation.Insert(item);
        var w = events.StartEvent("input_audio_buffer.committed"u8);
        ClientEventStream.WritePrevious(w, previous);
        w.WriteString("item_id"u8, itemId);
        await events.EmitAsync();
        await events.EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await events.EmitItemEventAsync("conversation.item.done"u8, item, previous);
        link.HasContext = true;
        await owner.CompleteInputTranscriptionAsync();
        User.Transcribing(itemId);
    }

    /// <summary>input_audio_buffer.commit.</summary>
    public async ValueTask<ClientError?> CommitAsync()
    {
        if (User.BufferedMs < 100)
        {
            return new ClientError("input_audio_buffer_commit_empty", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has {User.BufferedMs:0.00}ms of audio."), null);
        }

        var (itemId, durationMs) = User.Commit();
        if (owner.Config.ServerVad)
        {
            if (_vad.ForceEnd() is { } end)
            {
                // The user committed mid-speech: end the segment upstream too (Gemini then answers).
                var w = events.StartEvent("input_audio_buffer.speech_stopped"u8);
                w.WriteNumber("audio_end_ms"u8, end.AudioMs);
                w.WriteString("item_id"u8, itemId);
                await events.EmitAsync();
                GeminiClientMessages.AudioStreamEnd(link.StartMessage());
                await link.SendAsync();
                SpokenTurn.SpeechStopped(itemId);
                owner.ReplyExpected();
            }
        }
        else
        {
            _manualCommittedBytes = _manualAudio.Length;
            _manualItems.Add(itemId);
        }

        await CommitItemAsync(itemId, durationMs);
        return null;
    }

    /// <summary>
    /// input_audio_buffer.clear. Manual turns: uncommitted audio never left the router. Server VAD: Gemini already has
    /// the audio; only the router's buffer accounting resets.
    /// </summary>
    public ValueTask ClearAsync()
    {
        _manualAudio.TruncateTo(_manualCommittedBytes);
        User.Clear();
        events.StartEvent("input_audio_buffer.cleared"u8);
        return events.EmitAsync();
    }

    /// <summary>Manual turns: committed audio goes up as one activity (activityStart, audio, activityEnd), which makes Gemini answer.</summary>
    public async ValueTask SendCommittedAudioAsync()
    {
        var committed = _manualAudio.Memory[.._manualCommittedBytes];
        GeminiClientMessages.ActivityStart(link.StartMessage());
        await link.SendAsync();
        for (var offset = 0; offset < committed.Length; offset += GeminiClientMessages.ChunkBytes)
        {
            GeminiClientMessages.Audio(link.StartMessage(), committed.Span.Slice(offset, Math.Min(GeminiClientMessages.ChunkBytes, committed.Length - offset)));
            await link.SendAsync();
        }

        GeminiClientMessages.ActivityEnd(link.StartMessage());
        await link.SendAsync();

        // Keep audio appended after the last commit for the next turn.
        var rest = _manualAudio.Memory[_manualCommittedBytes..].ToArray();
        _manualAudio.Clear();
        _manualAudio.Append(rest);
        _manualCommittedBytes = 0;
        _manualItems.Clear();
    }

    public void Dispose()
    {
        _manualAudio.Dispose();
        SpokenTurn.Dispose();
    }
}
