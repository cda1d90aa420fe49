using VoicePlatform.Contracts.Json;
using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// One OpenAI Realtime session as the client sees it. It is a faithful relay over one upstream connection at a time:
/// client events go upstream unchanged, server events come back unchanged, audio changes representation only.
/// <para>
/// Continuity. OpenAI ends a connection at its cap (60 min). Before that, once the connection's age reaches
/// <c>cap − RolloverMargin</c>, the session rolls over at the next turn boundary (see <see cref="OpenAITurnTracker.AtTurnBoundary"/>):
/// it holds client frames, sends a fence to prove the old connection has answered everything sent to it, opens a new
/// connection, rebuilds it from its own record of the effective session and the conversation (session.update plus one
/// conversation.item.create per item, same ids; the echoes are swallowed), then switches: held frames are flushed to
/// the new connection in order and the old one is closed, its late events and its cap error/close ignored. With no
/// boundary by <c>cap − RolloverMargin/4</c> the rollover is forced (an unfinished response is first allowed to
/// finish, then cancelled). A re-attached session (<see cref="ProviderSessionContext.Resume"/>) is rebuilt the same way
/// from the checkpoint before the client sees anything.
/// </para>
/// Buffers are pooled and reused; the audio path allocates nothing per frame.
/// </summary>
public sealed class OpenAISession : IProviderSession
{
    private const int UpstreamSampleRate = AudioFormat.RealtimePcmSampleRate;
    private const int BytesPerMs = UpstreamSampleRate * 2 / 1000;
    private static readonly TimeSpan FenceTimeout = TimeSpan.FromSeconds(2);

    private readonly string _model;
    private readonly OpenAIProviderOptions _settings;
    private readonly ISessionEventSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly OpenAISessionRecord _record = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _idTag = Guid.NewGuid().ToString("N")[..10];
    private int _idCounter;
    private int _ended;
    private int _disposed;

    // Connections: the one the client is attached to, and the one a rollover is rebuilding.
    private volatile OpenAIUpstream? _current;
    private volatile OpenAIUpstream? _candidate;
    private readonly object _stateGate = new();
    private bool _switching; // under _sendLock (+ _stateGate): client frames are held, not sent
    private bool _rolloverActive; // under _stateGate: the current connection's cap error/close belong to the rollover
    private Task _rollover = Task.CompletedTask;
    private readonly List<Task> _retiring = [];

    // Outgoing audio: resampled PCM, then the JSON event, both reused across frames.
    private readonly ArrayBufferWriter<byte> _outgoing = new(8 * 1024);
    private readonly Utf8JsonWriter _outgoingWriter;
    private byte[] _resampled = [];
    private AudioTranscoder? _inputTranscoder;

    // Client frames held during a switch (audio already at 24 kHz), reused across switches.
    private readonly ArrayBufferWriter<byte> _held = new(16 * 1024);
    private readonly List<HeldFrame> _heldFrames = [];

    // Incoming audio: decoded PCM, reused; ids cached so steady-state deltas allocate no strings.
    private byte[] _decoded = [];
    private readonly Utf8StringCache _responseIds = new();
    private readonly Utf8StringCache _itemIds = new();
    private string? _audioItemId;
    private long _audioItemBytes;

    // Turn state of the current connection (written by its reader, read by the rollover).
    private readonly OpenAITurnTracker _turns;

    // Audio the current connection has not committed yet, for a rollover that must happen mid-utterance.
    private readonly UncommittedAudio _uncommitted = new();
    private volatile bool _uncommittedStale; // set by the reader on committed/cleared; applied under the send lock

    private readonly record struct HeldFrame(int Offset, int Length, bool IsAudio, string? EventId);

    private enum Kind : byte
    {
        Other, AudioDelta, SessionCreated, SessionUpdated, Error, ItemAdded, ItemDone, ItemDeleted, ItemTruncated,
        TranscriptionCompleted, TranscriptionFailed, ResponseCreated, ResponseDone, SpeechStarted, SpeechStopped, Committed, Cleared,
    }

    /// <summary>Told of every rollover (see <see cref="ProviderSessionContext.ReportContinuity"/>).</summary>
    internal Action<string, TimeSpan, string>? ReportContinuity { get; init; }

    internal OpenAISession(string model, OpenAIProviderOptions settings, ISessionEventSink sink, ILogger<OpenAISession> logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _turns = new OpenAITurnTracker(_time);
        _model = model;
        _settings = settings;
        _sink = sink;
        _logger = logger;
        _outgoingWriter = new Utf8JsonWriter(_outgoing, WireJson.WriterOptions);
    }

    public Task Completion => _completion.Task;

    /// <summary>How many times the session moved to a new upstream connection.</summary>
    public int Rollovers { get; private set; }

    /// <summary>
    /// Opens the first connection. A new session relays its <c>session.created</c>; a resumed one is rebuilt from
    /// <paramref name="resume"/> first and the client sees nothing of it.
    /// </summary>
    internal async Task StartAsync(SessionResumeState? resume, CancellationToken cancellationToken)
    {
        if (resume is not null) _record.Seed(resume);
        var upstream = await OpenAIUpstream.ConnectAsync(_settings, _model, _time, cancellationToken);
        if (resume is null) _current = upstream;
        else _candidate = upstream;
        upstream.Reader = Task.Run(() => ReadLoopAsync(upstream));
        await WaitForCreatedAsync(upstream, cancellationToken);

        if (resume is not null)
        {
            await RebuildAsync(upstream, cancellationToken);
            lock (_stateGate)
            {
                _current = upstream;
                _candidate = null;
            }
            _logger.LogInformation("OpenAI session resumed on connection {Connection}: {Items} items restored", upstream.Number, resume.History.Count);
        }
        _rollover = Task.Run(RolloverLoopAsync);
    }

    private async Task WaitForCreatedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(_settings.ConnectTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await upstream.Created.Task.WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderConnectException("provider_unavailable", "OpenAI accepted the connection but never sent session.created.", e);
        }
    }

    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> audio = pcm16;
        if (sampleRate != UpstreamSampleRate)
        {
            if (_inputTranscoder is null || _inputTranscoder.Source.SampleRate != sampleRate)
                _inputTranscoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16At24kHz);
            var max = _inputTranscoder.GetMaxOutputBytes(pcm16.Length);
            if (_resampled.Length < max) _resampled = new byte[Math.Max(max, _resampled.Length * 2)];
            var written = _inputTranscoder.Transcode(pcm16.Span, _resampled);
            audio = _resampled.AsMemory(0, written);
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_switching)
            {
                Hold(audio.Span, isAudio: true, eventId);
                return;
            }
            _turns.AudioSent();
            await WriteAudioAsync(_current!, audio, eventId, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_switching)
            {
                Hold(json.Span, isAudio: false, null);
                return;
            }
            await _current!.Socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>input_audio_buffer.append with 24 kHz PCM, kept as uncommitted audio. Callers hold the send lock.</summary>
    private ValueTask WriteAudioAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, string? eventId, CancellationToken cancellationToken)
    {
        if (_uncommittedStale)
        {
            _uncommittedStale = false;
            _uncommitted.Clear();
        }
        _uncommitted.Append(audio.Span, keepAll: _turns.SpeechActive || _record.ManualTurns);
        return AppendUpstreamAsync(upstream, audio, eventId, cancellationToken);
    }

    private async ValueTask AppendUpstreamAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, string? eventId, CancellationToken cancellationToken)
    {
        _outgoing.ResetWrittenCount();
        _outgoingWriter.Reset(_outgoing);
        _outgoingWriter.WriteStartObject();
        _outgoingWriter.WriteString("type"u8, "input_audio_buffer.append"u8);
        if (eventId is not null) _outgoingWriter.WriteString("event_id"u8, eventId);
        _outgoingWriter.WriteBase64String("audio"u8, audio.Span);
        _outgoingWriter.WriteEndObject();
        _outgoingWriter.Flush();
        await upstream.Socket.SendAsync(_outgoing.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
    }

    private void Hold(ReadOnlySpan<byte> data, bool isAudio, string? eventId)
    {
        var offset = _held.WrittenCount;
        data.CopyTo(_held.GetSpan(data.Length));
        _held.Advance(data.Length);
        _heldFrames.Add(new HeldFrame(offset, data.Length, isAudio, eventId));
    }

    /// <summary>Sends the held client frames, in order, to <paramref name="upstream"/>. Callers hold the send lock.</summary>
    private async Task FlushHeldAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var frame in _heldFrames)
            {
                var data = _held.WrittenMemory.Slice(frame.Offset, frame.Length);
                if (frame.IsAudio)
                {
                    _turns.AudioSent();
                    await WriteAudioAsync(upstream, data, frame.EventId, cancellationToken);
                }
                else
                {
                    await upstream.Socket.SendAsync(data, WebSocketMessageType.Text, true, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection's reader reports the failure.
            _logger.LogWarning("Could not deliver client frames held during a rollover: {Error}", e.Message);
        }
        finally
        {
            _heldFrames.Clear();
            _held.ResetWrittenCount();
        }
    }

    // ---------------------------------------------------------------- reading

    private async Task ReadLoopAsync(OpenAIUpstream upstream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var token = upstream.Stop.Token;
        var socket = upstream.Socket;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= _settings.MaxMessageBytes)
                        {
                            await LostAsync(upstream, "provider_message_too_large", $"The provider sent a message over {_settings.MaxMessageBytes} bytes.");
                            return;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _settings.MaxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), token);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ClosedAsync(upstream, (int?)socket.CloseStatus ?? RealtimeCloseCodes.InternalError, socket.CloseStatusDescription ?? "");
                    return;
                }

                await HandleMessageAsync(upstream, buffer.AsMemory(0, length), token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed on our side: the session ended or the connection was retired.
        }
        catch (Exception e) when (e is WebSocketException or IOException or JsonException)
        {
            _logger.LogWarning(e, "OpenAI connection {Connection} failed", upstream.Number);
            if (!upstream.Created.TrySetException(e))
                await LostAsync(upstream, "provider_connection_lost", "The connection to the model provider was lost.");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "OpenAI connection {Connection}: unexpected failure while relaying", upstream.Number);
            if (!upstream.Created.TrySetException(e))
                await LostAsync(upstream, "provider_connection_lost", "The connection to the model provider was lost.");
        }
        finally
        {
            upstream.Closed = true;
            upstream.Gone.TrySetResult();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask ClosedAsync(OpenAIUpstream upstream, int status, string reason)
    {
        _logger.LogInformation("OpenAI closed connection {Connection}: {Status} {Reason}", upstream.Number, status, reason);
        upstream.CloseStatus = status;
        upstream.CloseReason = reason;
        upstream.Closed = true;
        if (!upstream.Created.Task.IsCompleted)
        {
            upstream.Created.TrySetException(new WebSocketException($"OpenAI closed the connection ({status} {reason}) before session.created."));
            return;
        }
        lock (_stateGate)
        {
            upstream.Closed = true;
            // A retired or half-built connection is not the client's; during a rollover the rollover decides.
            if (upstream != _current || _rolloverActive) return;
        }
        await EndSessionAsync(status, reason);
    }

    /// <summary>The connection broke (not a clean close): the client's session ends unless a rollover owns it.</summary>
    private async ValueTask LostAsync(OpenAIUpstream upstream, string code, string message)
    {
        lock (_stateGate)
        {
            upstream.Closed = true;
            upstream.CloseStatus ??= 1011;
            upstream.CloseReason ??= code;
            if (upstream != _current || _rolloverActive) return;
        }
        await FailAsync(code, message);
    }

    private async ValueTask HandleMessageAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> message, CancellationToken token)
    {
        var reader = new Utf8JsonReader(message.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Provider message is not a JSON object.");

        // One pass over the top-level properties; only audio deltas need their fields.
        var kind = Kind.Other;
        string? responseId = null, itemId = null;
        int outputIndex = 0, contentIndex = 0;
        var deltaStart = -1;
        var deltaLength = 0;
        var deltaEscaped = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = Classify(ref reader);
                if (kind != Kind.AudioDelta) break;
            }
            else if (reader.ValueTextEquals("response_id"u8)) { reader.Read(); responseId = _responseIds.Get(ref reader); }
            else if (reader.ValueTextEquals("item_id"u8)) { reader.Read(); itemId = _itemIds.Get(ref reader); }
            else if (reader.ValueTextEquals("output_index"u8)) { reader.Read(); outputIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("content_index"u8)) { reader.Read(); contentIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                deltaStart = (int)reader.TokenStartIndex + 1;
                deltaLength = reader.ValueSpan.Length;
                deltaEscaped = reader.ValueIsEscaped;
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        if (kind == Kind.Error && !upstream.Created.Task.IsCompleted)
        {
            // Refused before the session existed (bad model, bad key...): report it as a connect failure.
            var error = JsonDocument.Parse(message).RootElement.GetProperty("error");
            upstream.Created.TrySetException(new ProviderConnectException(
                error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "provider_error",
                error.TryGetProperty("message", out var text) ? text.GetString() ?? "" : "The provider refused the session."));
            return;
        }

        if (upstream != _current)
        {
            if (upstream == _candidate) OnRebuildEvent(upstream, kind, message.Span);
            // Otherwise a retired connection's late event: the client must not see it.
            return;
        }

        if (kind == Kind.AudioDelta && deltaStart >= 0 && responseId is not null && itemId is not null)
        {
            var encoded = message.Span.Slice(deltaStart, deltaLength);
            if (deltaEscaped)
            {
                // JSON allows "\/" inside base64; unescape before decoding (rare).
                var unescaped = JsonDocument.Parse(message).RootElement.GetProperty("delta").GetString()!;
                encoded = Encoding.UTF8.GetBytes(unescaped);
            }
            var max = Base64.GetMaxDecodedFromUtf8Length(encoded.Length);
            if (_decoded.Length < max) _decoded = new byte[Math.Max(max, _decoded.Length * 2)];
            if (Base64.DecodeFromUtf8(encoded, _decoded, out _, out var written) != OperationStatus.Done)
                throw new JsonException("Provider audio delta is not valid base64.");
            if (!ReferenceEquals(itemId, _audioItemId))
            {
                _audioItemId = itemId;
                _audioItemBytes = 0;
            }
            _audioItemBytes += written;
            await _sink.AudioDeltaAsync(new OutputAudioRef(responseId, itemId, outputIndex, contentIndex),
                _decoded.AsMemory(0, written), UpstreamSampleRate, token);
            return;
        }

        if (kind != Kind.Other && !Observe(upstream, kind, message.Span)) return;
        await _sink.EventAsync(message, token);
        if (kind == Kind.SessionCreated) upstream.Created.TrySetResult();
    }

    private static Kind Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("response.output_audio.delta"u8)) return Kind.AudioDelta;
        if (reader.ValueTextEquals("session.created"u8)) return Kind.SessionCreated;
        if (reader.ValueTextEquals("session.updated"u8)) return Kind.SessionUpdated;
        if (reader.ValueTextEquals("error"u8)) return Kind.Error;
        if (reader.ValueTextEquals("conversation.item.added"u8)) return Kind.ItemAdded;
        if (reader.ValueTextEquals("conversation.item.done"u8)) return Kind.ItemDone;
        if (reader.ValueTextEquals("conversation.item.deleted"u8)) return Kind.ItemDeleted;
        if (reader.ValueTextEquals("conversation.item.truncated"u8)) return Kind.ItemTruncated;
        if (reader.ValueTextEquals("conversation.item.input_audio_transcription.completed"u8)) return Kind.TranscriptionCompleted;
        if (reader.ValueTextEquals("conversation.item.input_audio_transcription.failed"u8)) return Kind.TranscriptionFailed;
        if (reader.ValueTextEquals("response.created"u8)) return Kind.ResponseCreated;
        if (reader.ValueTextEquals("response.done"u8)) return Kind.ResponseDone;
        if (reader.ValueTextEquals("input_audio_buffer.speech_started"u8)) return Kind.SpeechStarted;
        if (reader.ValueTextEquals("input_audio_buffer.speech_stopped"u8)) return Kind.SpeechStopped;
        if (reader.ValueTextEquals("input_audio_buffer.committed"u8)) return Kind.Committed;
        if (reader.ValueTextEquals("input_audio_buffer.cleared"u8)) return Kind.Cleared;
        return Kind.Other;
    }

    /// <summary>
    /// Keeps the record and the turn state from an event of the current connection. False when the event is the
    /// connector's own business (a replay echo, the rollover fence, the cap of a connection being replaced) and must
    /// not reach the client.
    /// </summary>
    private bool Observe(OpenAIUpstream upstream, Kind kind, ReadOnlySpan<byte> message)
    {
        switch (kind)
        {
            case Kind.ResponseCreated:
                _turns.ResponseCreated();
                return true;
            case Kind.ResponseDone:
                _turns.ResponseDone();
                return true;
            case Kind.SpeechStarted:
                _turns.SpeechStarted();
                return true;
            case Kind.SpeechStopped:
                _turns.SpeechStopped(_record.VadCreatesResponses);
                return true;
            case Kind.Cleared:
                _uncommittedStale = true;
                _turns.Cleared();
                return true;
        }

        var node = JsonNode.Parse(message)!.AsObject();
        switch (kind)
        {
            case Kind.SessionCreated:
                if (node["session"] is JsonObject created)
                {
                    upstream.SetDeadline(created["expires_at"].Long(), _settings.SessionMaxDuration);
                    _record.SessionChanged(created);
                }
                return true;
            case Kind.SessionUpdated:
                if (upstream.Replay.SessionUpdateEventId is not null)
                {
                    // The (late) reply to a replayed session.update.
                    upstream.Replay.SessionUpdateEventId = null;
                    return false;
                }
                if (node["session"] is JsonObject updated) _record.SessionChanged(updated);
                return true;
            case Kind.Error:
                return ObserveError(upstream, node, message);
            case Kind.ItemAdded:
            {
                var id = node["item"]?["id"].Str();
                if (id is null) return true;
                if (upstream.Replay.IsEcho(id, done: false)) return false;
                _record.ItemAdded(id, node.ContainsKey("previous_item_id"), node["previous_item_id"].Str());
                return true;
            }
            case Kind.ItemDone:
            {
                if (node["item"] is not JsonObject item || item["id"].Str() is not { } id) return true;
                if (upstream.Replay.IsEcho(id, done: true)) return false;
                _record.ItemDone(item, id == _audioItemId ? (int)(_audioItemBytes / BytesPerMs) : 0);
                return true;
            }
            case Kind.ItemDeleted:
                if (node["item_id"].Str() is { } deleted) _record.ItemDeleted(deleted);
                return true;
            case Kind.ItemTruncated:
                if (node["item_id"].Str() is { } truncated)
                    _record.ItemTruncated(truncated, node["content_index"].Int() ?? 0, node["audio_end_ms"].Int() ?? 0);
                return true;
            case Kind.TranscriptionCompleted:
            {
                if (node["item_id"].Str() is not { } id) return true;
                _record.TranscriptionCompleted(id, node["content_index"].Int() ?? 0, node["transcript"].Str());
                _turns.TranscriptionEnded(id);
                return true;
            }
            case Kind.TranscriptionFailed:
                _turns.TranscriptionEnded(node["item_id"].Str());
                return true;
            case Kind.Committed:
                _uncommittedStale = true;
                _turns.Committed(node["item_id"].Str(), _record.TranscriptionEnabled);
                return true;
            default:
                return true;
        }
    }

    private bool ObserveError(OpenAIUpstream upstream, JsonObject node, ReadOnlySpan<byte> message)
    {
        var error = node["error"];
        var eventId = error?["event_id"].Str();
        if (eventId is not null)
        {
            if (eventId == upstream.FenceEventId)
            {
                upstream.Fence?.TrySetResult();
                return false;
            }
            if (eventId == upstream.CancelEventId) return false; // nothing was left to cancel
            if (upstream.Replay.Complete(eventId, ReplayResult.Rejected(error)))
            {
                _logger.LogWarning("OpenAI rejected a replayed event late ({Code}): {Message}", error?["code"].Str(), error?["message"].Str());
                return false;
            }
        }
        if (error?["code"].Str() == "session_expired")
        {
            lock (_stateGate)
            {
                if (_rolloverActive)
                {
                    // The connection being replaced hit its cap; the rollover forwards this only if it fails.
                    upstream.ExpiredError = message.ToArray();
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>An event of a connection being rebuilt: none of it reaches the client.</summary>
    private void OnRebuildEvent(OpenAIUpstream upstream, Kind kind, ReadOnlySpan<byte> message)
    {
        switch (kind)
        {
            case Kind.SessionCreated:
            {
                var node = JsonNode.Parse(message)!;
                upstream.SetDeadline(node["session"]?["expires_at"].Long(), _settings.SessionMaxDuration);
                upstream.Created.TrySetResult();
                return;
            }
            case Kind.SessionUpdated:
                if (upstream.Replay.SessionUpdateEventId is { } sessionUpdate)
                {
                    upstream.Replay.SessionUpdateEventId = null;
                    upstream.Replay.Complete(sessionUpdate, ReplayResult.Confirmed);
                }
                return;
            case Kind.Error:
            {
                var error = JsonNode.Parse(message)!["error"];
                var eventId = error?["event_id"].Str();
                if (eventId is not null && upstream.Replay.Complete(eventId, ReplayResult.Rejected(error))) return;
                if (error?["code"].Str() == "session_expired") upstream.ExpiredError = message.ToArray();
                _logger.LogWarning("OpenAI connection {Connection} reported an error while being rebuilt ({Code}): {Message}",
                    upstream.Number, error?["code"].Str(), error?["message"].Str());
                return;
            }
            case Kind.ItemDone:
            {
                var id = JsonNode.Parse(message)!["item"]?["id"].Str();
                if (id is not null) upstream.Replay.IsEcho(id, done: true);
                return;
            }
            default:
                return; // item.added echoes and the like
        }
    }

    // ---------------------------------------------------------------- rebuild

    private string NextEventId(string what) => $"vp_{what}_{_idTag}_{Interlocked.Increment(ref _idCounter)}";

    private static async Task SendJsonAsync(OpenAIUpstream upstream, JsonObject message, CancellationToken cancellationToken) =>
        await upstream.Socket.SendAsync(WireJson.ToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Rebuilds a fresh connection from the record (see <see cref="OpenAIConnectionRebuilder"/>).</summary>
    private Task RebuildAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        var (session, items) = _record.Snapshot();
        return new OpenAIConnectionRebuilder(_settings, _time, _logger, NextEventId).RebuildAsync(upstream, session, items, cancellationToken, _stop.Token);
    }


    // ---------------------------------------------------------------- rollover

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan Until(long timestamp)
    {
        var remaining = timestamp - _time.GetTimestamp();
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(remaining / (double)_time.TimestampFrequency);
    }

    private async Task RolloverLoopAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested && Volatile.Read(ref _ended) == 0)
            {
                var current = _current!;
                var margin = _settings.RolloverMargin;
                var lifetime = current.Deadline - current.ConnectStarted;
                if (current.Deadline == long.MaxValue || margin <= TimeSpan.Zero || lifetime <= 2 * Ticks(margin))
                {
                    // Connections this short would be replaced as soon as they exist; their cap reaches the client.
                    _logger.LogInformation("OpenAI connection {Connection} lives {Lifetime}; not rolled over (margin {Margin})",
                        current.Number, TimeSpan.FromSeconds(lifetime / (double)_time.TimestampFrequency), margin);
                    return;
                }
                var forceAt = current.Deadline - Ticks(margin / 4);
                await Task.Delay(Until(current.Deadline - Ticks(margin)), _time, token);
                _logger.LogInformation("OpenAI connection {Connection} is {Remaining} from its cap; rolling over at the next turn boundary",
                    current.Number, Until(current.Deadline));

                var switched = false;
                while (!switched && _time.GetTimestamp() < forceAt && !current.Closed)
                {
                    if (_turns.AtTurnBoundary(_record.ManualTurns)) switched = await TrySwitchAsync(current, forced: false, token);
                    if (switched || Volatile.Read(ref _ended) == 1) break;
                    var wait = Until(forceAt);
                    await _turns.WaitForChangeAsync(wait < TimeSpan.FromMilliseconds(250) ? wait : TimeSpan.FromMilliseconds(250), token);
                }
                while (!switched && Volatile.Read(ref _ended) == 0 && !current.Closed && _time.GetTimestamp() < current.Deadline)
                {
                    _logger.LogWarning("OpenAI connection {Connection}: no turn boundary before {Remaining} from the cap; forcing the rollover",
                        current.Number, Until(current.Deadline));
                    switched = await TrySwitchAsync(current, forced: true, token);
                    if (!switched) await Task.Delay(TimeSpan.FromMilliseconds(500), _time, token);
                }
                if (!switched)
                {
                    _logger.LogWarning("OpenAI connection {Connection}: rollover failed; the provider's cap ends the session", current.Number);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "OpenAI session rollover loop failed");
        }
    }

    /// <summary>
    /// Moves the client to a new connection. Client frames are held from the start; the fence proves the old
    /// connection answered everything sent before; a graceful attempt gives up (frames flushed to the old connection,
    /// nothing lost) if a turn started meanwhile.
    /// </summary>
    private async Task<bool> TrySwitchAsync(OpenAIUpstream old, bool forced, CancellationToken token)
    {
        var switchStarted = _time.GetTimestamp();
        await _sendLock.WaitAsync(token);
        try
        {
            lock (_stateGate)
            {
                _switching = true;
                _rolloverActive = true;
            }
        }
        finally
        {
            _sendLock.Release();
        }

        OpenAIUpstream? next = null;
        var switched = false;
        try
        {
            if (!await FenceAsync(old, forced, token) && !forced) return false;
            if (!forced && !_turns.AtTurnBoundary(_record.ManualTurns))
            {
                _logger.LogDebug("Rollover postponed: a turn started on connection {Connection}", old.Number);
                return false;
            }
            if (forced) await FinishResponseAsync(old, token);

            try
            {
                next = await OpenAIUpstream.ConnectAsync(_settings, _model, _time, token);
                _candidate = next;
                var started = next;
                next.Reader = Task.Run(() => ReadLoopAsync(started));
                await WaitForCreatedAsync(next, token);
                await RebuildAsync(next, token);
            }
            catch (Exception e) when (!token.IsCancellationRequested && e is ProviderConnectException or WebSocketException or IOException)
            {
                _logger.LogWarning("OpenAI rollover from connection {Connection} failed: {Error}", old.Number, e.Message);
                return false;
            }

            await _sendLock.WaitAsync(CancellationToken.None);
            try
            {
                // Forced mid-utterance: the new connection hears the utterance so far again (the old one never committed it).
                var utteranceOpen = forced && !_uncommittedStale && (_turns.SpeechActive || (_record.ManualTurns && _turns.AudioSinceCommit));
                lock (_stateGate)
                {
                    _current = next;
                    _candidate = null;
                    _turns.Reset();
                }
                if (utteranceOpen) await ReplayUncommittedAsync(next, token);
                else _uncommitted.Clear();
                await FlushHeldAsync(next, token);
                lock (_stateGate)
                {
                    _switching = false;
                    _rolloverActive = false;
                }
            }
            finally
            {
                _sendLock.Release();
            }
            switched = true;
            Rollovers++;
            _logger.LogInformation("OpenAI session rolled over from connection {Old} to {New} ({Mode}, {Remaining} before the cap)",
                old.Number, next.Number, forced ? "forced" : "turn boundary", Until(old.Deadline));
            Retire(old);
            ReportContinuity?.Invoke("provider_rollover", _time.GetElapsedTime(switchStarted),
                $"connection {next.Number} ({(forced ? "forced" : "turn boundary")})");
            return true;
        }
        finally
        {
            if (!switched) await AbandonSwitchAsync(old, next);
        }
    }

    /// <summary>Sends the uncommitted audio to <paramref name="upstream"/> in 1 s appends. Callers hold the send lock.</summary>
    private async Task ReplayUncommittedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        var (first, second) = _uncommitted.Pieces();
        _logger.LogInformation("OpenAI rollover mid-utterance: {Ms} ms of uncommitted audio sent again to connection {Connection}",
            _uncommitted.Length / BytesPerMs, upstream.Number);
        _turns.AudioReplayed(_uncommitted.Length > 0);
        foreach (var piece in new[] { first, second })
        {
            for (var offset = 0; offset < piece.Length; offset += UncommittedAudio.BytesPerSecond)
                await AppendUpstreamAsync(upstream, piece.Slice(offset, Math.Min(UncommittedAudio.BytesPerSecond, piece.Length - offset)), null, cancellationToken);
        }
    }

    /// <summary>Sends the fence (an event the server can only reject) and waits for its error, or the connection's end.</summary>
    private async Task<bool> FenceAsync(OpenAIUpstream old, bool forced, CancellationToken token)
    {
        if (old.Closed) return false;
        var fenceId = NextEventId("fence");
        var fence = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.Fence = fence;
        old.FenceEventId = fenceId;
        await _sendLock.WaitAsync(token);
        try
        {
            await SendJsonAsync(old, new JsonObject { ["type"] = "conversation.item.retrieve", ["event_id"] = fenceId, ["item_id"] = fenceId }, token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
        var limit = forced ? Min(FenceTimeout, Until(old.Deadline)) : FenceTimeout;
        try
        {
            await Task.WhenAny(fence.Task, old.Gone.Task).WaitAsync(limit, _time, token);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("OpenAI connection {Connection} did not answer the rollover fence within {Limit}", old.Number, limit);
        }
        return fence.Task.IsCompleted;
    }

    /// <summary>Forced rollover: let a response in progress finish while there is time, then cancel it.</summary>
    private async Task FinishResponseAsync(OpenAIUpstream old, CancellationToken token)
    {
        var cancelAt = old.Deadline - Ticks(_settings.RolloverMargin / 8);
        while (_turns.ResponseActive && !old.Closed && _time.GetTimestamp() < cancelAt)
            await _turns.WaitForChangeAsync(Min(TimeSpan.FromMilliseconds(100), Until(cancelAt)), token);
        if (!_turns.ResponseActive || old.Closed) return;

        var cancelId = NextEventId("cancel");
        old.CancelEventId = cancelId;
        await _sendLock.WaitAsync(token);
        try
        {
            await SendJsonAsync(old, new JsonObject { ["type"] = "response.cancel", ["event_id"] = cancelId }, token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            return;
        }
        finally
        {
            _sendLock.Release();
        }
        var limit = _time.GetTimestamp() + Ticks(TimeSpan.FromSeconds(1));
        while (_turns.ResponseActive && !old.Closed && _time.GetTimestamp() < limit)
            await _turns.WaitForChangeAsync(TimeSpan.FromMilliseconds(50), token);
    }

    /// <summary>The switch did not happen: the client stays on the old connection (or, if that one is gone, the session ends).</summary>
    private async Task AbandonSwitchAsync(OpenAIUpstream old, OpenAIUpstream? next)
    {
        if (next is not null)
        {
            lock (_stateGate)
            {
                if (_candidate == next) _candidate = null;
            }
            Retire(next);
        }

        bool oldGone;
        await _sendLock.WaitAsync(CancellationToken.None);
        try
        {
            lock (_stateGate)
            {
                _switching = false;
                _rolloverActive = false;
                oldGone = old.Closed;
            }
            if (!oldGone && !_stop.IsCancellationRequested) await FlushHeldAsync(old, CancellationToken.None);
            else
            {
                _heldFrames.Clear();
                _held.ResetWrittenCount();
            }
        }
        finally
        {
            _sendLock.Release();
        }

        if (_stop.IsCancellationRequested) return;
        // What the rollover kept from the client is now the client's: the cap error, then the close.
        if (old.ExpiredError is { } expired)
        {
            old.ExpiredError = null;
            if (Volatile.Read(ref _ended) == 0) await _sink.EventAsync(expired, CancellationToken.None);
        }
        if (oldGone) await EndSessionAsync(old.CloseStatus ?? RealtimeCloseCodes.InternalError, old.CloseReason ?? "provider_connection_lost");
    }

    private void Retire(OpenAIUpstream upstream)
    {
        lock (_retiring) _retiring.Add(upstream.CloseAsync("session moved to a new connection"));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // ---------------------------------------------------------------- ending

    private async ValueTask EndSessionAsync(int status, string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        try
        {
            await _sink.EndAsync(status, reason, CancellationToken.None);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async ValueTask FailAsync(string code, string message)
    {
        if (Volatile.Read(ref _ended) == 1) return;
        await _sink.EventAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, code, message).ToJson(), CancellationToken.None);
        await EndSessionAsync(RealtimeCloseCodes.InternalError, code);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try
        {
            await _rollover;
        }
        catch (Exception)
        {
            // Logged by the loop.
        }
        var closing = new List<Task>();
        var current = _current;
        var candidate = _candidate;
        if (current is not null) closing.Add(current.CloseAsync("session ended"));
        if (candidate is not null && candidate != current) closing.Add(candidate.CloseAsync("session ended"));
        lock (_retiring) closing.AddRange(_retiring);
        await Task.WhenAll(closing);
        _completion.TrySetResult();
        _outgoingWriter.Dispose();
        await _sendLock.WaitAsync(CancellationToken.None); // no append may be using the pooled buffer it returns
        _uncommitted.Dispose();
        _sendLock.Release();
        _stop.Dispose();
        _sendLock.Dispose();
        _turns.Dispose();
    }
}
