using System.Buffers;
using Microsoft.Extensions.Logging;
using VoicePlatform.Audio;
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
    private AudioTranscoder? _transcoder;
    private byte[] _scratch = [];
    private byte[] _decodeScratch = [];
    private int _manualCommittedBytes;

    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        _coveredInput.Handing(inputSeq);
        if (sampleRate <= 0)
        {
            await UnderGateAsync(() => EmitErrorAsync(ClientError.InvalidValueMessage("audio", $"Invalid sample rate {sampleRate}."), eventId));
            return;
        }

        await UnderGateAsync(async () =>
        {
            if (_coveredInput.SkipCurrent(out var skippingEnded))
            {
                return;
            }

            if (skippingEnded)
            {
                _logger.LogInformation("Gemini session {SessionId}: {Frames} replayed audio frame(s) up to #{Seq} were already in the resumed state; not sent again",
                    _context.SessionId, _coveredInput.DroppedFrames, _coveredInput.CoveredSeq);
            }

            if (_transcoder is null || _transcoder.Source.SampleRate != sampleRate)
            {
                _transcoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16At16kHz);
            }

            var needed = _transcoder.GetMaxOutputBytes(pcm16.Length);
            if (_scratch.Length < needed)
            {
                ReturnArray(ref _scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(needed);
            }

            var written = _transcoder.Transcode(pcm16.Span, _scratch);
            _user.AudioIn(pcm16.Length * 500.0 / sampleRate, written / 2);
            if (written == 0)
            {
                return;
            }

            if (!_config.ServerVad)
            {
                _manualAudio.Append(_scratch.AsSpan(0, written));
                return;
            }

            _spokenTurn.Append(_scratch.AsSpan(0, written));
            _vadEvents.Clear();
            _vad.Process(_scratch.AsSpan(0, written), _vadEvents);
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

            GeminiClientMessages.Audio(_upstream.StartObject(), _scratch.AsSpan(0, written));
            var connection = _switching ? null : _connection;
            var index = connection?.NextMessageIndex ?? 0;
            await SendUpstreamAsync();
            if (connection is not null && connection.NextMessageIndex == index + 1)
            {
                if (connection == _connection) _coveredInput.Sent(index);
                _upstreamHasAudio = true;
            }

            if (_reconnectPending)
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
        var w = _events.StartEvent("input_audio_buffer.speech_started"u8);
        w.WriteNumber("audio_start_ms"u8, audioStartMs);
        w.WriteString("item_id"u8, itemId);
        await EmitAsync();
    }

    private async ValueTask OnSpeechStoppedAsync(long audioEndMs)
    {
        var (itemId, durationMs) = _user.Commit();
        var w = _events.StartEvent("input_audio_buffer.speech_stopped"u8);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        w.WriteString("item_id"u8, itemId);
        await EmitAsync();
        _spokenTurn.SpeechStopped(itemId);
        await CommitUserAudioItemAsync(itemId, durationMs);

        // Gemini's automatic VAD ends the turn at the same point and answers; the response opens with its first output.
        ExpectReply();
    }

    /// <summary>Manual turns: committed audio goes up as one activity (activityStart, audio, activityEnd), which makes Gemini answer.</summary>
    private async ValueTask SendCommittedManualAudioAsync()
    {
        var audio = _manualAudio.Memory[.._manualCommittedBytes];
        GeminiClientMessages.ActivityStart(_upstream.StartObject());
        await SendUpstreamAsync();
        for (var offset = 0; offset < audio.Length; offset += GeminiClientMessages.ChunkBytes)
        {
            GeminiClientMessages.Audio(_upstream.StartObject(), audio.Span.Slice(offset, Math.Min(GeminiClientMessages.ChunkBytes, audio.Length - offset)));
            await SendUpstreamAsync();
        }

        GeminiClientMessages.ActivityEnd(_upstream.StartObject());
        await SendUpstreamAsync();

        // Keep audio appended after the last commit for the next turn.
        var rest = _manualAudio.Memory[_manualCommittedBytes..].ToArray();
        _manualAudio.Clear();
        _manualAudio.Append(rest);
        _manualCommittedBytes = 0;
        _manualItems.Clear();
    }

    private async ValueTask OnInputTranscriptionAsync(string text, bool finished)
    {
        if (_user.TranscribingItemId is not { } itemId)
        {
            _logger.LogDebug("Gemini session {SessionId}: input transcription without a pending user item; dropped", _context.SessionId);
            return;
        }

        if (text.Length > 0)
        {
            _user.AddTranscription(text);
            if (_config.Transcription is null) return; // kept for the history only (see CompleteInputTranscriptionAsync)
            var w = _events.StartEvent("conversation.item.input_audio_transcription.delta"u8);
            w.WriteString("item_id"u8, itemId);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("delta"u8, text);
            await EmitAsync();
        }

        if (finished)
        {
            await CompleteInputTranscriptionAsync();
        }
    }

    /// <summary>conversation.item.input_audio_transcription.completed for the pending user item, once it has text.</summary>
    private async ValueTask CompleteInputTranscriptionAsync()
    {
        if (!_user.TakeTranscript(out var itemId, out var transcript))
        {
            return;
        }

        double seconds = 0;
        if (_conversation.TryGet(itemId, out var item) && item.Content.Count > 0)
        {
            item.Content[0].Transcript = transcript;
            seconds = item.Content[0].AudioMs / 1000.0;
        }

        if (_config.Transcription is null)
        {
            // The client did not ask for transcription events; the checkpointed history still gets the words.
            _context.Checkpoints.RecordTranscript(itemId, 0, transcript);
            return;
        }

        var w = _events.StartEvent("conversation.item.input_audio_transcription.completed"u8);
        w.WriteString("item_id"u8, itemId);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("transcript"u8, transcript);
        w.WriteStartObject("usage"u8);
        w.WriteString("type"u8, "duration"u8);
        w.WriteNumber("seconds"u8, Math.Round(seconds, 3));
        w.WriteEndObject();
        await EmitAsync();
    }

    /// <summary>Decodes base64 audio from a Gemini frame into a pooled buffer, without intermediate strings.</summary>
    private ReadOnlyMemory<byte> DecodeAudio(System.Text.Json.JsonElement data)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.IndexOf((byte)'\\') < 0)
        {
            var max = System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(raw.Length);
            if (_decodeScratch.Length < max)
            {
                ReturnArray(ref _decodeScratch);
                _decodeScratch = ArrayPool<byte>.Shared.Rent(max);
            }

            if (System.Buffers.Text.Base64.DecodeFromUtf8(raw, _decodeScratch, out _, out var written) == OperationStatus.Done)
            {
                return _decodeScratch.AsMemory(0, written & ~1);
            }
        }

        // Escaped JSON string (or odd padding): take the slow path.
        return data.TryGetBytesFromBase64(out var bytes) ? bytes.AsMemory(0, bytes.Length & ~1) : ReadOnlyMemory<byte>.Empty;
    }

    private static void ReturnArray(ref byte[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        array = [];
    }

    private void ReturnScratch()
    {
        ReturnArray(ref _scratch);
        ReturnArray(ref _decodeScratch);
    }
}
