using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>
/// One realtime session against a loopback model: a socket, a send pump driven by <see cref="FrameScheduler"/>, and
/// one receive loop that matches echoed audio back to sent frames by the header embedded in the samples.
/// Every per-frame timestamp goes into preallocated arrays; statistics are computed after the step.
/// </summary>
public sealed class BenchSession
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly byte[] _message = AudioFrames.NewMessage();
    private readonly byte[] _header = new byte[AudioFrames.HeaderBytes];
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _ws;
    private Task _receiveLoop = Task.CompletedTask;
    private byte[] _receiveBuffer = new byte[16 * 1024];
    private byte[] _decoded = new byte[4 * 1024];
    private byte[] _unescaped = [];

    private int _due;      // frames the scheduler says should have been sent by now
    private int _sent;     // frames handed to the socket
    private int _pumping;  // 1 while a pump owns the socket's send side
    private volatile bool _stopped;
    private volatile bool _closing;
    private long _streamBytes;
    private long _maxSeq = -1;

    private static readonly byte[] Commit = """{"type":"input_audio_buffer.commit"}"""u8.ToArray();
    private readonly int _commitEvery; // frames per turn; 0 = never commit
    private bool _commitDue;

    public BenchSession(BenchPath path, uint id, int capacity, int commitEvery = 0)
    {
        _commitEvery = commitEvery;
        Path = path;
        Id = id;
        SendTicks = new long[capacity];
        ReceiveTicks = new long[capacity];
    }

    public BenchPath Path { get; }
    public uint Id { get; }

    /// <summary>Stopwatch timestamp at which frame i was handed to the socket (0 = never sent).</summary>
    public long[] SendTicks { get; }

    /// <summary>Stopwatch timestamp at which the last byte of frame i's echo arrived (0 = not echoed).</summary>
    public long[] ReceiveTicks { get; }

    /// <summary>Scheduler start plus this session's phase: frame i is due at <c>DueBase + i × 20 ms</c>.</summary>
    public long DueBase { get; set; }

    public int Sent => Volatile.Read(ref _sent);
    public int Received { get; private set; }
    public int Reordered { get; private set; }
    public int Duplicates { get; private set; }
    public int Altered { get; private set; }
    public int Foreign { get; private set; }
    public int OutOfRange { get; private set; }
    public int ErrorEvents { get; private set; }
    public bool Connected { get; private set; }
    public bool Failed => Failure is not null;
    public string? Failure { get; private set; }
    public string? FirstErrorEvent { get; private set; }
    public TimeSpan HandshakeTime { get; private set; }

    /// <summary>From the start of the connect to the WebSocket upgrade (HTTP 101): what is checked before it.</summary>
    public TimeSpan UpgradeTime { get; private set; }

    /// <summary>From the start of the connect to session.created: the set-up cost a relay adds.</summary>
    public TimeSpan CreatedTime { get; private set; }

    /// <summary>Connects, waits for session.created and (optionally) the session.updated that turns VAD off.</summary>
    public async Task ConnectAsync(Uri uri, string apiKey, bool sessionUpdate, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            _ws = new ClientWebSocket();
            _ws.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
            // Portkey picks its upstream by this header; the other targets ignore it.
            if (Path == BenchPath.Portkey) _ws.Options.SetRequestHeader("x-portkey-provider", "openai");
            _ws.Options.KeepAliveInterval = TimeSpan.Zero;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(HandshakeTimeout);
            await _ws.ConnectAsync(uri, timeout.Token);
            UpgradeTime = Stopwatch.GetElapsedTime(start);
            _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
            await _created.Task.WaitAsync(timeout.Token);
            CreatedTime = Stopwatch.GetElapsedTime(start);
            if (sessionUpdate)
            {
                // Loopback models echo regardless of turns, but say so explicitly so no hop in between runs turn detection on the tone.
                var update = """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}"""u8.ToArray();
                await _ws.SendAsync(update, WebSocketMessageType.Text, true, timeout.Token);
                await _updated.Task.WaitAsync(timeout.Token);
            }
            HandshakeTime = Stopwatch.GetElapsedTime(start);
            Connected = true;
        }
        catch (Exception ex)
        {
            Fail(ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"handshake timed out after {HandshakeTimeout.TotalSeconds:0} s" + (FirstErrorEvent is null ? "" : $" ({FirstErrorEvent})")
                : Describe(ex));
            _ws?.Abort();
        }
    }

    /// <summary>Called by the scheduler: <paramref name="dueCount"/> frames should have been sent by now.</summary>
    public void Advance(int dueCount)
    {
        if (_stopped) return;
        Volatile.Write(ref _due, Math.Min(dueCount, SendTicks.Length));
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0) Pump();
    }

    /// <summary>No more frames after this.</summary>
    public void Stop() => _stopped = true;

    private void Pump()
    {
        while (true)
        {
            while (_sent < Volatile.Read(ref _due) && !_stopped && !Failed)
            {
                if (_commitDue)
                {
                    // The end of a turn goes out before the next frame, on the same send sequence.
                    _commitDue = false;
                    if (!TrySend(Commit, out var commit)) return;
                    if (!commit.IsCompletedSuccessfully)
                    {
                        _ = AwaitSendThenPumpAsync(commit);
                        return;
                    }
                }
                var seq = _sent;
                AudioFrames.WriteHeader(_message, Id, (uint)seq);
                SendTicks[seq] = Stopwatch.GetTimestamp();
                ValueTask send;
                try
                {
                    send = _ws!.SendAsync(_message.AsMemory(), WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    Fail("send: " + Describe(ex));
                    return; // _pumping stays 1: this session sends nothing more
                }
                Volatile.Write(ref _sent, seq + 1);
                if (_commitEvery > 0 && (seq + 1) % _commitEvery == 0) _commitDue = true;
                if (!send.IsCompletedSuccessfully)
                {
                    _ = AwaitSendThenPumpAsync(send);
                    return;
                }
            }
            Volatile.Write(ref _pumping, 0);
            // A tick that arrived between the loop's last check and the release above found _pumping == 1 and left.
            if (_stopped || Failed || _sent >= Volatile.Read(ref _due) || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private bool TrySend(byte[] message, out ValueTask send)
    {
        try
        {
            send = _ws!.SendAsync(message.AsMemory(), WebSocketMessageType.Text, true, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            Fail("send: " + Describe(ex));
            send = default;
            return false; // _pumping stays 1: this session sends nothing more
        }
    }

    private async Task AwaitSendThenPumpAsync(ValueTask send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail("send: " + Describe(ex));
            return;
        }
        Pump();
    }

    private async Task ReceiveLoopAsync()
    {
        var ws = _ws!;
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == _receiveBuffer.Length) Array.Resize(ref _receiveBuffer, _receiveBuffer.Length * 2);
                var result = await ws.ReceiveAsync(_receiveBuffer.AsMemory(filled), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        Fail($"server closed {(int?)ws.CloseStatus} {ws.CloseStatusDescription}");
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    }
                    return;
                }
                filled += result.Count;
                if (!result.EndOfMessage) continue;
                var now = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Text) Handle(_receiveBuffer.AsSpan(0, filled), now);
                filled = 0;
            }
        }
        catch (Exception ex)
        {
            if (!_closing) Fail("receive: " + Describe(ex));
        }
        finally
        {
            _created.TrySetException(new InvalidOperationException(Failure ?? "socket closed"));
            _updated.TrySetException(new InvalidOperationException(Failure ?? "socket closed"));
        }
    }

    private void Handle(ReadOnlySpan<byte> json, long now)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        var kind = EventKind.Other;
        ReadOnlySpan<byte> delta = default;
        var hasDelta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = Classify(ref reader);
                if (kind != EventKind.AudioDelta && kind != EventKind.Other) break; // control events: nothing else needed
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) continue;
                delta = reader.ValueIsEscaped ? _unescaped.AsSpan(0, Unescape(ref reader)) : reader.ValueSpan;
                hasDelta = true;
                if (kind == EventKind.AudioDelta) break;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        switch (kind)
        {
            case EventKind.AudioDelta when hasDelta:
                OnAudio(delta, now);
                break;
            case EventKind.SessionCreated:
                _created.TrySetResult();
                break;
            case EventKind.SessionUpdated:
                _updated.TrySetResult();
                break;
            case EventKind.Error:
                ErrorEvents++;
                FirstErrorEvent ??= Encoding.UTF8.GetString(json[..Math.Min(json.Length, 400)]);
                if (!_updated.Task.IsCompleted) _updated.TrySetException(new InvalidOperationException("error event: " + FirstErrorEvent));
                break;
        }
    }

    /// <summary>Unescapes the current string into <see cref="_unescaped"/>; returns its length.</summary>
    private int Unescape(ref Utf8JsonReader reader)
    {
        var max = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (_unescaped.Length < max) _unescaped = new byte[max];
        return reader.CopyString(_unescaped);
    }

    private static EventKind Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("response.output_audio.delta"u8)) return EventKind.AudioDelta;
        if (reader.ValueTextEquals("session.created"u8)) return EventKind.SessionCreated;
        if (reader.ValueTextEquals("session.updated"u8)) return EventKind.SessionUpdated;
        if (reader.ValueTextEquals("error"u8)) return EventKind.Error;
        return EventKind.Other;
    }

    /// <summary>
    /// Echoed audio is treated as a byte stream, so re-chunking on the way does not matter: a frame is complete when
    /// its 960th byte arrives, and its header is its first 12 bytes.
    /// </summary>
    private void OnAudio(ReadOnlySpan<byte> base64, long now)
    {
        var max = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        if (_decoded.Length < max) _decoded = new byte[Math.Max(max, _decoded.Length * 2)];
        if (Base64.DecodeFromUtf8(base64, _decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            ErrorEvents++;
            FirstErrorEvent ??= "undecodable base64 in response.output_audio.delta";
            return;
        }
        var audio = _decoded.AsSpan(0, written);
        while (!audio.IsEmpty)
        {
            var inFrame = (int)(_streamBytes % AudioFrames.FrameBytes);
            if (inFrame < AudioFrames.HeaderBytes)
            {
                var headerPart = Math.Min(AudioFrames.HeaderBytes - inFrame, audio.Length);
                audio[..headerPart].CopyTo(_header.AsSpan(inFrame));
            }
            var take = Math.Min(AudioFrames.FrameBytes - inFrame, audio.Length);
            _streamBytes += take;
            audio = audio[take..];
            if (inFrame + take == AudioFrames.FrameBytes) OnFrame(now);
        }
    }

    private void OnFrame(long now)
    {
        long seq;
        if (AudioFrames.TryDecodeHeader(_header, out var sessionId, out var headerSeq))
        {
            if (sessionId != Id)
            {
                Foreign++;
                return;
            }
            seq = headerSeq;
        }
        else
        {
            // Samples altered on the way (resampling, gain): fall back to matching by order and byte count.
            Altered++;
            seq = _streamBytes / AudioFrames.FrameBytes - 1;
        }
        if (seq >= ReceiveTicks.Length)
        {
            OutOfRange++;
            return;
        }
        if (ReceiveTicks[seq] != 0)
        {
            Duplicates++;
            return;
        }
        ReceiveTicks[seq] = now;
        Received++;
        if (seq < _maxSeq) Reordered++;
        else _maxSeq = seq;
    }

    /// <summary>Closes politely, waits briefly for the server's close, then aborts.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _stopped = true;
        _closing = true;
        if (_ws is null) return;
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(timeout);
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "benchmark step done", cts.Token);
                await _receiveLoop.WaitAsync(cts.Token);
            }
        }
        catch
        {
            // Whatever state it is in, the abort below ends it.
        }
        finally
        {
            _ws.Abort();
            _ws.Dispose();
        }
    }

    private void Fail(string message)
    {
        if (Failure is null) Failure = message;
    }

    private static string Describe(Exception ex) => ex switch
    {
        WebSocketException { InnerException: { } inner } w => $"{w.Message} ({inner.Message})",
        _ => ex.Message,
    };

    private enum EventKind
    {
        Other,
        AudioDelta,
        SessionCreated,
        SessionUpdated,
        Error,
    }
}
