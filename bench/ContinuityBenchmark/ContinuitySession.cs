using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VoicePlatform.Bench.RelayBenchmark;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>
/// One realtime session to a loopback model through the Gateway. Sends 20 ms frames (sequence header from the relay
/// benchmark's <see cref="AudioFrames"/>) when the clock says so, and records the arrival time and size of every
/// echoed audio chunk. For bit-exact echoes (OpenAI loopback) the headers also give lost / duplicated frames; for
/// resampled echoes (Gemini loopback) only bytes and timing are comparable.
/// </summary>
/// <param name="commitEveryFrames">OpenAI sessions: commit the input buffer after this many frames (push-to-talk turns);
/// 0 never commits, so every re-attach replays all audio since the start.</param>
/// <param name="turnFrames">Gemini sessions (server VAD): this many frames of tone, then <paramref name="pauseFrames"/>
/// of silence, so the VAD ends a turn and the platform can forget its audio; 0 = one endless turn.</param>
public sealed class ContinuitySession(string model, uint id, int commitEveryFrames = 0, int turnFrames = 0, int pauseFrames = 0)
{
    private static readonly byte[] Commit = """{"type":"input_audio_buffer.commit"}"""u8.ToArray();
    private static readonly byte[] Silence = Encoding.UTF8.GetBytes(
        $"{{\"type\":\"input_audio_buffer.append\",\"audio\":\"{Convert.ToBase64String(new byte[AudioFrames.FrameBytes])}\"}}");

    private readonly byte[] _message = AudioFrames.NewMessage();
    private readonly byte[] _header = new byte[AudioFrames.HeaderBytes];
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private ClientWebSocket? _ws;
    private Task _receiveLoop = Task.CompletedTask;
    private byte[] _buffer = new byte[64 * 1024];
    private long _streamBytes;
    private int _due;
    private int _sent;
    private int _pumping;
    private volatile bool _stopped;
    private volatile bool _closing;
    private readonly HashSet<uint> _seen = [];

    public string Model { get; } = model;

    /// <summary>The platform's session id (from session.created): how the Gateway's log names this session.</summary>
    public string? SessionId { get; private set; }
    public uint Id { get; } = id;
    public bool BitExact => !Model.StartsWith("gemini", StringComparison.Ordinal);

    /// <summary>(Stopwatch timestamp, decoded bytes) of every output_audio.delta, in arrival order.</summary>
    public List<(long Ticks, int Bytes)> Chunks { get; } = new(8192);

    /// <summary>(Stopwatch timestamp, sequence number) of every completed echoed frame (bit-exact models only).</summary>
    public List<(long Ticks, uint Seq)> Frames { get; } = new(8192);

    public (long Ticks, uint Seq)[] FrameSnapshot()
    {
        lock (_lock) return [.. Frames];
    }
    public int Sent => Volatile.Read(ref _sent);
    public long ReceivedBytes { get; private set; }
    public int Duplicates { get; private set; }
    public int Altered { get; private set; }
    public int Foreign { get; private set; }
    public int Reordered { get; private set; }
    private long _maxSeq = -1;
    public int UniqueFrames => _seen.Count;
    public int ErrorEvents { get; private set; }
    public string? FirstError { get; private set; }
    public string? Failure { get; private set; }
    public IReadOnlySet<uint> Seen => _seen;

    public async Task ConnectAsync(Uri uri, string key, CancellationToken ct)
    {
        try
        {
            _ws = new ClientWebSocket();
            _ws.Options.SetRequestHeader("Authorization", "Bearer " + key);
            _ws.Options.KeepAliveInterval = TimeSpan.Zero;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await _ws.ConnectAsync(uri, timeout.Token);
            _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
            await _created.Task.WaitAsync(timeout.Token);
            // OpenAI loopback: turn detection off (the emulator echoes before VAD anyway). Not for Gemini: with manual
            // turns the Router keeps audio until response.create; with server VAD the emulator echoes every chunk.
            if (BitExact)
            {
                var update = """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}"""u8.ToArray();
                await _ws.SendAsync(update, WebSocketMessageType.Text, true, timeout.Token);
                await _updated.Task.WaitAsync(timeout.Token);
            }
        }
        catch (Exception ex)
        {
            Failure ??= "connect: " + ex.Message + (FirstError is null ? "" : " / " + FirstError);
            _ws?.Abort();
        }
    }

    public bool Connected => _ws?.State == WebSocketState.Open && Failure is null;

    public void Advance(int due)
    {
        if (_stopped || Failure is not null) return;
        Volatile.Write(ref _due, due);
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0) _ = PumpAsync();
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            while (_sent < Volatile.Read(ref _due) && !_stopped && Failure is null)
            {
                var pause = !BitExact && turnFrames > 0 && _sent % (turnFrames + pauseFrames) >= turnFrames;
                if (!pause) AudioFrames.WriteHeader(_message, Id, (uint)_sent);
                try
                {
                    await _ws!.SendAsync(pause ? Silence : _message, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Failure ??= "send: " + ex.Message;
                    return;
                }
                Volatile.Write(ref _sent, _sent + 1);
                if (BitExact && commitEveryFrames > 0 && _sent % commitEveryFrames == 0)
                {
                    try
                    {
                        await _ws!.SendAsync(Commit, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        Failure ??= "send: " + ex.Message;
                        return;
                    }
                }
            }
            Volatile.Write(ref _pumping, 0);
            if (_stopped || Failure is not null || _sent >= Volatile.Read(ref _due) || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0) return;
        }
    }

    public void Stop() => _stopped = true;

    private async Task ReceiveLoopAsync()
    {
        var ws = _ws!;
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var r = await ws.ReceiveAsync(_buffer.AsMemory(filled), CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing) Failure ??= $"server closed {(int?)ws.CloseStatus} {ws.CloseStatusDescription}";
                    return;
                }
                filled += r.Count;
                if (!r.EndOfMessage) continue;
                var now = Stopwatch.GetTimestamp();
                Handle(_buffer.AsSpan(0, filled), now);
                filled = 0;
            }
        }
        catch (Exception ex)
        {
            if (!_closing) Failure ??= "receive: " + ex.Message;
        }
        finally
        {
            _created.TrySetException(new InvalidOperationException(Failure ?? "closed"));
            _updated.TrySetException(new InvalidOperationException(Failure ?? "closed"));
        }
    }

    private void Handle(ReadOnlySpan<byte> json, long now)
    {
        string? type = null;
        string? delta = null;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("delta"u8)) { reader.Read(); delta = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; }
            else { reader.Read(); reader.Skip(); }
        }
        switch (type)
        {
            case "response.output_audio.delta" when delta is not null:
                OnAudio(delta, now);
                break;
            case "session.created":
                using (var created = JsonDocument.Parse(json.ToArray()))
                {
                    SessionId = created.RootElement.TryGetProperty("session", out var session) && session.TryGetProperty("id", out var sid) ? sid.GetString() : null;
                }
                _created.TrySetResult();
                break;
            case "session.updated":
                _updated.TrySetResult();
                break;
            case "error":
                ErrorEvents++;
                FirstError ??= Encoding.UTF8.GetString(json[..Math.Min(400, json.Length)]);
                _updated.TrySetException(new InvalidOperationException(FirstError));
                break;
        }
    }

    private void OnAudio(string base64, long now)
    {
        var bytes = Convert.FromBase64String(base64);
        lock (_lock)
        {
            Chunks.Add((now, bytes.Length));
            ReceivedBytes += bytes.Length;
            if (!BitExact) return;
            ReadOnlySpan<byte> audio = bytes;
            while (!audio.IsEmpty)
            {
                var inFrame = (int)(_streamBytes % AudioFrames.FrameBytes);
                if (inFrame < AudioFrames.HeaderBytes)
                {
                    var part = Math.Min(AudioFrames.HeaderBytes - inFrame, audio.Length);
                    audio[..part].CopyTo(_header.AsSpan(inFrame));
                }
                var take = Math.Min(AudioFrames.FrameBytes - inFrame, audio.Length);
                _streamBytes += take;
                audio = audio[take..];
                if (inFrame + take != AudioFrames.FrameBytes) continue;
                if (!AudioFrames.TryDecodeHeader(_header, out var sid, out var seq)) { Altered++; continue; }
                if (sid != Id) { Foreign++; continue; }
                Frames.Add((now, seq));
                if (!_seen.Add(seq)) { Duplicates++; continue; }
                if (seq < _maxSeq) Reordered++; else _maxSeq = seq;
            }
        }
    }

    /// <summary>Snapshot of the chunk list (the receive loop may still append).</summary>
    public (long Ticks, int Bytes)[] ChunkSnapshot()
    {
        lock (_lock) return [.. Chunks];
    }

    public async Task CloseAsync()
    {
        _stopped = true;
        _closing = true;
        if (_ws is null) return;
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                await _receiveLoop.WaitAsync(cts.Token);
            }
        }
        catch
        {
            // aborted below
        }
        finally
        {
            _ws.Abort();
            _ws.Dispose();
        }
    }
}
