using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// A session's input audio buffer: append (never acked), server VAD, commit, clear, and the committed user item.
/// Runs on the session's loop under its gate, so it takes no locks of its own.
/// </summary>
internal sealed class InputAudio : IDisposable
{
    private const int MinCommitMs = 100;
    private const double IdleBufferLimitMs = 10_000;

    private readonly RealtimeSession _s;
    private readonly InputTranscriber _transcriber;
    private readonly LoopbackEcho _loopback;
    private readonly InputAudioBuffer _buffer;
    private EnergyVad? _vad;
    private string? _speechItemId;
    private long _speechStartTick;
    private int _pcmCarry = -1;             // odd trailing byte of a PCM16 chunk split mid-sample
    private byte[] _decoded = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private short[] _samples = ArrayPool<short>.Shared.Rent(16 * 1024);

    public InputAudio(RealtimeSession session, InputTranscriber transcriber)
    {
        _s = session;
        _transcriber = transcriber;
        _loopback = new LoopbackEcho(session, this);
        _buffer = new InputAudioBuffer(session.Config.InputFormat, 0);
    }

    /// <summary>True while server VAD is inside a speech turn.</summary>
    public bool InSpeech => _vad is { InSpeech: true };

    private SessionConfig Config => _s.Config;

    public async ValueTask<RealtimeError?> AppendFromJsonAsync(JsonElement root, string? eventId)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id", "audio") is { } unknown)
        {
            return unknown;
        }
        if (!root.TryGetProperty("audio", out var audio))
        {
            return RealtimeError.Missing("audio");
        }
        if (JsonRead.String(audio, "audio", out var base64) is { } error)
        {
            return error;
        }
        await AppendAsync(System.Text.Encoding.ASCII.GetBytes(base64), eventId);
        return null;
    }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> base64, string? eventId)
    {
        if (_s.Loopback)
        {
            await _loopback.AppendAsync(base64, eventId);
            return;
        }

        var max = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        if (_decoded.Length < max)
        {
            ArrayPool<byte>.Shared.Return(_decoded);
            _decoded = ArrayPool<byte>.Shared.Rent(max);
        }
        if (Base64.DecodeFromUtf8(base64.Span, _decoded, out _, out var written) != OperationStatus.Done)
        {
            await _s.SendErrorAsync(InvalidAudio(), eventId);
            return;
        }

        _s.InputRecord?.Append(Config.InputFormat, _decoded.AsSpan(0, written));

        // The VAD's clock must start where this chunk starts, so create it before the chunk is buffered.
        EnsureVad();
        _buffer.Append(_decoded.AsSpan(0, written));
        if (Config.TurnDetection is not null)
        {
            await RunVadAsync(written);
        }
    }

    public static RealtimeError InvalidAudio() =>
        RealtimeError.InvalidValueMessage("audio", "Invalid 'audio': expected base64-encoded audio bytes.");

    private async ValueTask RunVadAsync(int byteCount)
    {
        var count = DecodeForVad(byteCount);
        var offset = 0;
        while (offset < count && !_s.IsClosing)
        {
            var vad = EnsureVad();
            if (vad is null)
            {
                return;
            }
            var evt = vad.Process(_samples.AsSpan(offset, count - offset), out var used);
            offset += used;
            if (evt.Kind != VadEventKind.None)
            {
                await OnVadEventAsync(evt);
            }
        }

        // Bound memory while a client streams silence: keep only what prefix padding could still need.
        if (_vad is { InSpeech: false } && _buffer.DurationMs > IdleBufferLimitMs)
        {
            var keepMs = Math.Max(1000, Config.TurnDetection?.EffectivePrefixPaddingMs ?? 0);
            _buffer.TrimBefore(_buffer.EndTick - (long)keepMs * AudioFormat.TicksPerMs);
        }
    }

    private int DecodeForVad(int byteCount)
    {
        var format = _buffer.Format;
        var bytes = _decoded.AsSpan(0, byteCount);
        var maxSamples = byteCount + 1;
        if (_samples.Length < maxSamples)
        {
            ArrayPool<short>.Shared.Return(_samples);
            _samples = ArrayPool<short>.Shared.Rent(maxSamples);
        }
        if (format.Encoding != AudioEncoding.Pcm16)
        {
            return AudioCodec.Decode(format, bytes, _samples);
        }

        var n = 0;
        if (_pcmCarry >= 0 && bytes.Length > 0)
        {
            _samples[n++] = (short)(_pcmCarry | (bytes[0] << 8));
            bytes = bytes[1..];
            _pcmCarry = -1;
        }
        var even = bytes.Length & ~1;
        n += AudioCodec.Decode(format, bytes[..even], _samples.AsSpan(n));
        if (even < bytes.Length)
        {
            _pcmCarry = bytes[^1];
        }
        return n;
    }

    private EnergyVad? EnsureVad()
    {
        if (Config.TurnDetection is not { } td)
        {
            return null;
        }
        return _vad ??= new EnergyVad(_buffer.Format, td.EffectiveThreshold, td.EffectiveSilenceMs, td.IdleTimeoutMs, _buffer.EndTick);
    }

    /// <summary>After a response: the VAD's idle timeout counts from the end of the buffered audio.</summary>
    public void ArmVadIdleTimer() => EnsureVad()?.ArmIdleTimer(_buffer.EndTick);

    public void ResetVad()
    {
        _vad = null;
        _speechItemId = null;
    }

    /// <summary>Drops buffered audio (also on an input format change: old bytes cannot be committed as the new format).</summary>
    public void Reset()
    {
        _buffer.Clear(_buffer.EndTick, Config.InputFormat);
        _pcmCarry = -1;
        ResetVad();
    }

    private async ValueTask OnVadEventAsync(VadEvent evt)
    {
        var td = Config.TurnDetection!;
        var writer = _s.Writer;
        switch (evt.Kind)
        {
            case VadEventKind.SpeechStarted:
            {
                // audio_start_ms includes the prefix padding (protocol §5).
                _speechStartTick = Math.Max(_buffer.StartTick, evt.Tick - (long)td.EffectivePrefixPaddingMs * AudioFormat.TicksPerMs);
                _speechItemId = _s.Ids.Next("item");
                var w = writer.Start("input_audio_buffer.speech_started"u8);
                w.WriteNumber("audio_start_ms"u8, _speechStartTick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, _speechItemId);
                await _s.SendAsync();
                _s.IdleTimer.Disarm();
                if (td.InterruptResponse && _s.Active is { Finished: false } active)
                {
                    await active.CancelAsync("turn_detected");
                }
                break;
            }
            case VadEventKind.SpeechStopped:
            {
                var itemId = _speechItemId ?? _s.Ids.Next("item");
                _speechItemId = null;
                var w = writer.Start("input_audio_buffer.speech_stopped"u8);
                w.WriteNumber("audio_end_ms"u8, evt.Tick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, itemId);
                await _s.SendAsync();
                var audio = _buffer.Take(_speechStartTick, evt.Tick);
                _s.IdleTimer.Arm();
                await CommitItemAsync(itemId, audio, td.CreateResponse);
                break;
            }
            case VadEventKind.IdleTimeout:
            {
                var itemId = _s.Ids.Next("item");
                var start = _buffer.StartTick;
                var w = writer.Start("input_audio_buffer.timeout_triggered"u8);
                w.WriteNumber("audio_start_ms"u8, start / AudioFormat.TicksPerMs);
                w.WriteNumber("audio_end_ms"u8, evt.Tick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, itemId);
                await _s.SendAsync();
                await CommitItemAsync(itemId, _buffer.Take(start, evt.Tick), autoResponse: true);
                break;
            }
        }
    }

    public async ValueTask<RealtimeError?> CommitAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }
        if (_s.Loopback)
        {
            await _loopback.CommitAsync();
            return null;
        }
        var ms = _buffer.DurationMs;
        if (ms < MinCommitMs)
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "input_audio_buffer_commit_empty",
                $"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has {ms.ToString("0.00", CultureInfo.InvariantCulture)}ms of audio.", null);
        }
        var itemId = _speechItemId ?? _s.Ids.Next("item");
        ResetVad();
        var audio = _buffer.Take(_buffer.StartTick, _buffer.EndTick);
        // A manual commit never creates a response (protocol §4).
        await CommitItemAsync(itemId, audio, autoResponse: false);
        return null;
    }

    public async ValueTask<RealtimeError?> ClearAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }
        if (_s.Active is { IsLoopback: true } echo)
        {
            await echo.CompleteLoopbackAsync();
        }
        Reset();
        _s.Writer.Start("input_audio_buffer.cleared"u8);
        await _s.SendAsync();
        return null;
    }

    /// <summary>committed → conversation.item.added → conversation.item.done (→ response), one item_id throughout.</summary>
    public async ValueTask CommitItemAsync(string itemId, byte[]? audio, bool autoResponse)
    {
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user", Status = "completed" };
        item.Content.Add(new ContentPart
        {
            Type = "input_audio",
            Audio = audio is null ? null : new AudioClip(_buffer.Format, audio),
        });
        var previous = _s.Conversation.Insert(item, null);

        var w = _s.Writer.Start("input_audio_buffer.committed"u8);
        ConversationItemRequests.WritePrevious(w, previous);
        w.WriteString("item_id"u8, itemId);
        await _s.SendAsync();
        await _s.Items.EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await _s.Items.EmitItemEventAsync("conversation.item.done"u8, item, previous);

        var transcribe = Config.Transcription is not null && audio is not null;
        if (autoResponse && _s.Active is null)
        {
            // Transcription completes asynchronously: it lands after response.created (checklist §9).
            await _s.Responses.StartAsync(ResponseParameters.FromSession(Config, _s.Conversation), transcribe ? item : null);
        }
        else if (transcribe)
        {
            await _transcriber.TranscribeAsync(item);
        }
    }

    public void Dispose()
    {
        _buffer.Dispose();
        ArrayPool<byte>.Shared.Return(_decoded);
        ArrayPool<short>.Shared.Return(_samples);
        _decoded = [];
        _samples = [];
    }
}
