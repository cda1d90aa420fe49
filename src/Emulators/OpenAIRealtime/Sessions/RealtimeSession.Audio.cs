using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>Input audio: append (never acked), server VAD, commit, clear, input transcription, loopback echo.</summary>
internal sealed partial class RealtimeSession
{
    private const int MinCommitMs = 100;
    private const double IdleBufferLimitMs = 10_000;

    private InputAudioBuffer _buffer;
    private EnergyVad? _vad;
    private string? _speechItemId;
    private long _speechStartTick;
    private int _pcmCarry = -1;             // odd trailing byte of a PCM16 chunk split mid-sample
    private byte[] _decoded = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private short[] _samples = ArrayPool<short>.Shared.Rent(16 * 1024);

    private async ValueTask<RealtimeError?> AppendFromJsonAsync(JsonElement root, string? eventId)
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

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> base64, string? eventId)
    {
        if (Loopback)
        {
            await LoopbackAppendAsync(base64, eventId);
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
            await SendErrorAsync(InvalidAudio(), eventId);
            return;
        }

        _inputRecord?.Append(Config.InputFormat, _decoded.AsSpan(0, written));

        // The VAD's clock must start where this chunk starts, so create it before the chunk is buffered.
        EnsureVad();
        _buffer.Append(_decoded.AsSpan(0, written));
        if (Config.TurnDetection is not null)
        {
            await RunVadAsync(written);
        }
    }

    private static RealtimeError InvalidAudio() =>
        RealtimeError.InvalidValueMessage("audio", "Invalid 'audio': expected base64-encoded audio bytes.");

    private async ValueTask RunVadAsync(int byteCount)
    {
        var count = DecodeForVad(byteCount);
        var offset = 0;
        while (offset < count && !IsClosing)
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

    private void ResetVad()
    {
        _vad = null;
        _speechItemId = null;
    }

    private void ResetInputBuffer()
    {
        _buffer.Clear(_buffer.EndTick, Config.InputFormat);
        _pcmCarry = -1;
        ResetVad();
    }

    private async ValueTask OnVadEventAsync(VadEvent evt)
    {
        var td = Config.TurnDetection!;
        switch (evt.Kind)
        {
            case VadEventKind.SpeechStarted:
            {
                // audio_start_ms includes the prefix padding (protocol §5).
                _speechStartTick = Math.Max(_buffer.StartTick, evt.Tick - (long)td.EffectivePrefixPaddingMs * AudioFormat.TicksPerMs);
                _speechItemId = Ids.Next("item");
                var w = Writer.Start("input_audio_buffer.speech_started"u8);
                w.WriteNumber("audio_start_ms"u8, _speechStartTick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, _speechItemId);
                await SendAsync();
                DisarmIdleTimer();
                if (td.InterruptResponse && Active is { Finished: false } active)
                {
                    await active.CancelAsync("turn_detected");
                }
                break;
            }
            case VadEventKind.SpeechStopped:
            {
                var itemId = _speechItemId ?? Ids.Next("item");
                _speechItemId = null;
                var w = Writer.Start("input_audio_buffer.speech_stopped"u8);
                w.WriteNumber("audio_end_ms"u8, evt.Tick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, itemId);
                await SendAsync();
                var audio = _buffer.Take(_speechStartTick, evt.Tick);
                ArmIdleTimer();
                await CommitItemAsync(itemId, audio, td.CreateResponse);
                break;
            }
            case VadEventKind.IdleTimeout:
            {
                var itemId = Ids.Next("item");
                var start = _buffer.StartTick;
                var w = Writer.Start("input_audio_buffer.timeout_triggered"u8);
                w.WriteNumber("audio_start_ms"u8, start / AudioFormat.TicksPerMs);
                w.WriteNumber("audio_end_ms"u8, evt.Tick / AudioFormat.TicksPerMs);
                w.WriteString("item_id"u8, itemId);
                await SendAsync();
                await CommitItemAsync(itemId, _buffer.Take(start, evt.Tick), autoResponse: true);
                break;
            }
        }
    }

    private async ValueTask<RealtimeError?> CommitAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }
        if (Loopback)
        {
            await LoopbackCommitAsync();
            return null;
        }
        var ms = _buffer.DurationMs;
        if (ms < MinCommitMs)
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "input_audio_buffer_commit_empty",
                $"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has {ms.ToString("0.00", CultureInfo.InvariantCulture)}ms of audio.", null);
        }
        var itemId = _speechItemId ?? Ids.Next("item");
        ResetVad();
        var audio = _buffer.Take(_buffer.StartTick, _buffer.EndTick);
        // A manual commit never creates a response (protocol §4).
        await CommitItemAsync(itemId, audio, autoResponse: false);
        return null;
    }

    private async ValueTask<RealtimeError?> ClearAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id") is { } unknown)
        {
            return unknown;
        }
        if (Active is { IsLoopback: true } echo)
        {
            await echo.CompleteLoopbackAsync();
        }
        ResetInputBuffer();
        Writer.Start("input_audio_buffer.cleared"u8);
        await SendAsync();
        return null;
    }

    /// <summary>committed → conversation.item.added → conversation.item.done (→ response), one item_id throughout.</summary>
    private async ValueTask CommitItemAsync(string itemId, byte[]? audio, bool autoResponse)
    {
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user", Status = "completed" };
        item.Content.Add(new ContentPart
        {
            Type = "input_audio",
            Audio = audio is null ? null : new AudioClip(_buffer.Format, audio),
        });
        var previous = Conversation.Insert(item, null);

        var w = Writer.Start("input_audio_buffer.committed"u8);
        WritePrevious(w, previous);
        w.WriteString("item_id"u8, itemId);
        await SendAsync();
        await EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await EmitItemEventAsync("conversation.item.done"u8, item, previous);

        var transcribe = Config.Transcription is not null && audio is not null;
        if (autoResponse && Active is null)
        {
            // Transcription completes asynchronously: it lands after response.created (checklist §9).
            await StartResponseAsync(ResponseParameters.FromSession(Config, Conversation), transcribe ? item : null);
        }
        else if (transcribe)
        {
            await TranscribeAsync(item);
        }
    }

    private async ValueTask TranscribeAsync(ConversationItem item)
    {
        var part = item.Content[0];
        var ms = part.Audio?.DurationMs ?? 0;
        var transcript = $"[audio {DeterministicModel.FormatSeconds(ms / 1000.0)} s]";
        if (Variant == ProviderVariant.Xai)
        {
            await TranscribeRunningAsync(item, transcript);
            return;
        }
        var model = (string?)Config.Transcription?["model"] ?? "whisper-1";
        var logprobs = Config.Include is System.Text.Json.Nodes.JsonArray include && include.Count > 0;

        var start = 0;
        for (var i = 1; i <= transcript.Length; i++)
        {
            if (i != transcript.Length && transcript[i] != ' ')
            {
                continue;
            }
            var w = Writer.Start("conversation.item.input_audio_transcription.delta"u8);
            w.WriteString("item_id"u8, item.Id);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("delta"u8, transcript.AsSpan(start, i - start));
            if (logprobs)
            {
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
            }
            await SendAsync();
            start = i;
        }

        part.Transcript = transcript;
        var done = Writer.Start("conversation.item.input_audio_transcription.completed"u8);
        done.WriteString("item_id"u8, item.Id);
        done.WriteNumber("content_index"u8, 0);
        done.WriteString("transcript"u8, transcript);
        done.WriteStartObject("usage"u8);
        if (model == "whisper-1")
        {
            done.WriteString("type"u8, "duration"u8);
            done.WriteNumber("seconds"u8, Math.Round(ms / 1000.0, 3));
        }
        else
        {
            var audioTokens = UsageCalculator.UserAudioTokens(ms);
            var textTokens = UsageCalculator.TextTokens(transcript);
            done.WriteString("type"u8, "tokens"u8);
            done.WriteNumber("input_tokens"u8, audioTokens);
            done.WriteNumber("output_tokens"u8, textTokens);
            done.WriteNumber("total_tokens"u8, audioTokens + textTokens);
            done.WriteStartObject("input_token_details"u8);
            done.WriteNumber("text_tokens"u8, 0);
            done.WriteNumber("audio_tokens"u8, audioTokens);
            done.WriteEndObject();
        }
        done.WriteEndObject();
        if (logprobs)
        {
            done.WriteStartArray("logprobs"u8);
            done.WriteEndArray();
        }
        await SendAsync();
    }

    // ---- loopback (*-loopback models): every chunk comes straight back as output audio ----

    private async ValueTask LoopbackAppendAsync(ReadOnlyMemory<byte> base64, string? eventId)
    {
        var decodedBytes = DecodedLength(base64.Span);
        if (decodedBytes < 0)
        {
            await SendErrorAsync(InvalidAudio(), eventId);
            return;
        }

        RecordLoopbackInput(base64, decodedBytes);
        if (Active is null)
        {
            var parameters = ResponseParameters.FromSession(Config, Conversation);
            var echo = new ActiveResponse(this, parameters, new SpeakPlan(""), inline: true, CachedTokens()) { IsLoopback = true };
            Active = echo;
            await echo.EmitCreatedAsync();
            await echo.OpenLoopbackAsync();
        }
        if (Active is not { IsLoopback: true } active)
        {
            return; // a normal response is streaming; the echo resumes after it
        }
        if (Config.InputFormat == active.Parameters.OutputFormat)
        {
            await active.EchoAsync(base64, decodedBytes, Config.InputFormat);
            return;
        }
        var raw = new byte[decodedBytes];
        if (Base64.DecodeFromUtf8(base64.Span, raw, out _, out _) != OperationStatus.Done)
        {
            await SendErrorAsync(InvalidAudio(), eventId);
            return;
        }
        await active.EchoTranscodedAsync(AudioCodec.Transcode(Config.InputFormat, active.Parameters.OutputFormat, raw));
    }

    /// <summary>The loopback path never decodes matching formats, so the record decodes on its own (only when on).</summary>
    private void RecordLoopbackInput(ReadOnlyMemory<byte> base64, int decodedBytes)
    {
        if (_inputRecord is null)
        {
            return;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, decodedBytes));
        try
        {
            if (Base64.DecodeFromUtf8(base64.Span, raw, out _, out var written) == OperationStatus.Done)
            {
                _inputRecord.Append(Config.InputFormat, raw.AsSpan(0, written));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>Decoded size of base64 text without decoding it (-1 if it cannot be base64).</summary>
    private static int DecodedLength(ReadOnlySpan<byte> base64)
    {
        if (base64.Length % 4 != 0)
        {
            return -1;
        }
        var padding = base64.Length == 0 ? 0 : (base64[^1] == '=' ? 1 : 0) + (base64.Length > 1 && base64[^2] == '=' ? 1 : 0);
        return base64.Length / 4 * 3 - padding;
    }

    private async ValueTask LoopbackCommitAsync()
    {
        if (Active is { IsLoopback: true } echo)
        {
            await echo.CompleteLoopbackAsync();
        }
        // The echoed audio is not retained (keeps the benchmark path cheap), so the item has no audio bytes.
        await CommitItemAsync(Ids.Next("item"), null, autoResponse: false);
    }

    private ValueTask EmitItemEventAsync(ReadOnlySpan<byte> type, ConversationItem item, string? previous)
    {
        var w = Writer.Start(type);
        WritePrevious(w, previous);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        return SendAsync();
    }

    private static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
    }

    private void ReturnAudioBuffers()
    {
        ArrayPool<byte>.Shared.Return(_decoded);
        ArrayPool<short>.Shared.Return(_samples);
        _decoded = [];
        _samples = [];
    }
}
