using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Client audio: resampled to 16 kHz (state kept across chunks) and either streamed to Gemini (server VAD; the router
/// VAD times speech_started / speech_stopped) or kept until response.create (manual turns, bracketed by
/// activityStart / activityEnd so that commit alone does not make Gemini answer, as on OpenAI).
/// </summary>
internal sealed partial class GeminiSession
{
    private const int UpstreamRate = GeminiClientMessages.InputRate;

    private readonly List<SpeechEvent> _vadEvents = [];
    private readonly PcmBuffer _manualAudio = new();
    private readonly SpokenTurnAudio _spokenTurn = new(leadInBytes: UpstreamRate * 2 * 300 / 1000, maxBytes: UpstreamRate * 2 * 30);
    private readonly List<string> _manualItems = [];
    private readonly GeminiUserTurn _user = new();
    private SpeechDetector _vad;
    private readonly GeminiAudioCodec _audio = new();
    private int _manualCommittedBytes;

    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        _link.CoveredInput.Handing(inputSeq);
        if (sampleRate <= 0)
        {
            await UnderGateAsync(() => _clientEvents.EmitErrorAsync(ClientError.InvalidValueMessage("audio", $"Invalid sample rate {sampleRate}."), eventId));
            return;
        }

        await UnderGateAsync(async () =>
        {
            if (_link.CoveredInput.SkipCurrent(out var skippingEnded))
            {
                return;
            }

            if (skippingEnded)
            {
                _logger.LogInformation("Gemini session {SessionId}: {Frames} replayed audio frame(s) up to #{Seq} were already in the resumed state; not sent again",
                    _context.SessionId, _link.CoveredInput.DroppedFrames, _link.CoveredInput.CoveredSeq);
            }

            var pcm16k = _audio.ToUpstream(pcm16.Span, sampleRate);
            _user.AudioIn(pcm16.Length * 500.0 / sampleRate, pcm16k.Length / 2);
            if (pcm16k.IsEmpty)
            {
                return;
            }

            if (!_config.ServerVad)
            {
                _manualAudio.Append(pcm16k.Span);
                return;
            }

            _spokenTurn.Append(pcm16k.Span);
            _vadEvents.Clear();
            _vad.Process(pcm16k.Span, _vadEvents);
            foreach (var speech in _vadEvents)
            {
                if (speech.Started)
                {
                    await OnSpeechStartedAsync(speech.AudioMs);
                }
                else
                {
                    await OnSpeechStoppedAsync(speech.AudioMs);
                }
            }

            GeminiClientMessages.Audio(_link.StartMessage(), pcm16k.Span);
            var connection = _link.Switching ? null : _link.Current;
            var index = connection?.NextMessageIndex ?? 0;
            await _link.SendAsync();
            if (connection is not null && connection.NextMessageIndex == index + 1)
            {
                if (connection == _link.Current) _link.CoveredInput.Sent(index);
                _link.HasAudio = true;
            }

            if (_link.ReconnectPending)
            {
                await MaybeReconnectAsync();
            }
        });
    }

    private async ValueTask OnSpeechStartedAsync(long audioStartMs)
    {
        // Text items the client added wait for a response.create; the user's turn is about to start, so they go into
        // Gemini's context now (turnComplete:false: no answer of their own).
        await FlushPendingTurnsAsync(turnComplete: false);
        await CompleteInputTranscriptionAsync();
        var itemId = _user.SpeechStarted();
        _spokenTurn.SpeechStarted();
        var w = _clientEvents.StartEvent("input_audio_buffer.speech_started"u8);
        w.WriteNumber("audio_start_ms"u8, audioStartMs);
        w.WriteString("item_id"u8, itemId);
        await _clientEvents.EmitAsync();
    }

    private async ValueTask OnSpeechStoppedAsync(long audioEndMs)
    {
        var (itemId, durationMs) = _user.Commit();
        var w = _clientEvents.StartEvent("input_audio_buffer.speech_stopped"u8);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        w.WriteString("item_id"u8, itemId);
        await _clientEvents.EmitAsync();
        _spokenTurn.SpeechStopped(itemId);
        await CommitUserAudioItemAsync(itemId, durationMs);

        // Gemini's automatic VAD ends the turn at the same point and answers; the response opens with its first output.
        ExpectReply();
    }

    /// <summary>Manual turns: committed audio goes up as one activity (activityStart, audio, activityEnd), which makes Gemini answer.</summary>
    private async ValueTask SendCommittedManualAudioAsync()
    {
        var audio = _manualAudio.Memory[.._manualCommittedBytes];
        GeminiClientMessages.ActivityStart(_link.StartMessage());
        await _link.SendAsync();
        for (var offset = 0; offset < audio.Length; offset += GeminiClientMessages.ChunkBytes)
        {
            GeminiClientMessages.Audio(_link.StartMessage(), audio.Span.Slice(offset, Math.Min(GeminiClientMessages.ChunkBytes, audio.Length - offset)));
            await _link.SendAsync();
        }

        GeminiClientMessages.ActivityEnd(_link.StartMessage());
        await _link.SendAsync();

        // Keep audio appended after the last commit for the next turn.
        var rest = _manualAudio.Memory[_manualCommittedBytes..].ToArray();
        _manualAudio.Clear();
        _manualAudio.Append(rest);
        _manualCommittedBytes = 0;
        _manualItems.Clear();
    }

    private ValueTask OnInputTranscriptionAsync(string text, bool finished) =>
        _transcription.AddAsync(text, finished, clientWantsEvents: _config.Transcription is not null);

    private ValueTask CompleteInputTranscriptionAsync() => _transcription.CompleteAsync(clientWantsEvents: _config.Transcription is not null);
}
