using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using Xunit;

namespace VoicePlatform.TestSupport.Realtime;

/// <summary>Anything serving <c>/v1/realtime</c> (an emulator, the Gateway).</summary>
public interface IRealtimeServer
{
    Uri RealtimeUri(string model);
}

/// <summary>
/// A raw <see cref="ClientWebSocket"/> speaking JSON events. A background loop reads the socket into a channel
/// (cancelling a WebSocket receive would abort the connection), and the helpers assert on what arrives.
/// </summary>
public sealed class RealtimeTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<TimedEvent> _events = Channel.CreateUnbounded<TimedEvent>();
    private readonly Task _readLoop;
    private readonly SemaphoreSlim _sending = new(1, 1); // a WebSocket takes one send at a time
    private readonly TaskCompletionSource<(WebSocketCloseStatus?, string?)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RealtimeTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public WebSocket Socket => _socket;

    public static Task<RealtimeTestClient> ConnectAsync(IRealtimeServer host, string model = "gpt-realtime", string key = "sk-test",
        Action<ClientWebSocketOptions>? configure = null) => ConnectAsync(host.RealtimeUri(model), key, configure);

    public static async Task<RealtimeTestClient> ConnectAsync(Uri uri, string key, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (configure is null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        }
        else
        {
            configure(socket.Options);
        }
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch (OperationCanceledException e) when (cts.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"The WebSocket handshake with {uri} did not complete within {DefaultTimeout.TotalSeconds:0} s", e);
        }
        return new RealtimeTestClient(socket);
    }

    /// <summary>Connects and consumes session.created.</summary>
    public static async Task<RealtimeTestClient> ConnectReadyAsync(IRealtimeServer host, string model = "gpt-realtime")
    {
        var client = await ConnectAsync(host, model);
        await client.ExpectAsync("session.created");
        return client;
    }

    public Task SendAsync(object payload) => SendRawAsync(JsonSerializer.Serialize(payload));

    /// <summary>Sends one message; safe from several tasks at once (a microphone loop beside the test's own events).</summary>
    public async Task SendRawAsync(string json)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _sending.WaitAsync(cts.Token);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cts.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends bytes as one message of the given frame type, as they are (hostile-input tests).</summary>
    public async Task SendBytesAsync(byte[] message, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _sending.WaitAsync(cts.Token);
        try
        {
            await _socket.SendAsync(message, type, true, cts.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    public Task AppendAsync(byte[] audio) => SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(audio) });

    /// <summary>Appends audio in chunks of <paramref name="chunkBytes"/> (odd sizes exercise sample splitting).</summary>
    public async Task AppendChunkedAsync(byte[] audio, int chunkBytes)
    {
        for (var offset = 0; offset < audio.Length; offset += chunkBytes)
        {
            await AppendAsync(audio[offset..Math.Min(audio.Length, offset + chunkBytes)]);
        }
    }

    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null) => (await NextTimedAsync(timeout)).Event;

    /// <summary>The next event with when it arrived (a <see cref="System.Diagnostics.Stopwatch"/> timestamp taken as its last frame was read).</summary>
    public async Task<TimedEvent> NextTimedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            var (status, reason) = await _closed.Task;
            throw new InvalidOperationException($"Socket closed: {status} {reason}");
        }
    }

    public async Task<JsonElement> ExpectAsync(string type, TimeSpan? timeout = null)
    {
        var e = await NextAsync(timeout);
        Assert.True(e.GetProperty("type").GetString() == type, $"Expected {type} but got {e}");
        return e;
    }

    /// <summary>Reads events until one of <paramref name="type"/> arrives; returns them all, that one last.</summary>
    public async Task<List<JsonElement>> CollectUntilAsync(string type, TimeSpan? timeout = null)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var e = await NextAsync(timeout);
            events.Add(e);
            if (e.GetProperty("type").GetString() == type)
            {
                return events;
            }
        }
    }

    /// <summary>Asserts that nothing arrives for <paramref name="quiet"/>.</summary>
    public async Task ExpectSilenceAsync(TimeSpan quiet)
    {
        try
        {
            var e = await NextAsync(quiet);
            Assert.Fail($"Expected no event but got {e}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads until the server closes; returns the close status, reason and the events before it.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason, List<JsonElement> Events)> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var events = new List<JsonElement>();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await foreach (var (e, _) in _events.Reader.ReadAllAsync(cts.Token))
        {
            events.Add(e);
        }
        var (status, reason) = await _closed.Task.WaitAsync(cts.Token);
        return (status, reason, events);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                    return;
                }
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    throw new InvalidOperationException("Server sent a binary frame; the protocol uses text frames only.");
                }
                var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
                _events.Writer.TryWrite(new TimedEvent(doc.RootElement.Clone(), arrived));
            }
        }
        catch (Exception ex)
        {
            _closed.TrySetException(ex);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                await _readLoop.WaitAsync(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
        }
        _socket.Dispose();
    }
}

/// <summary>A server event and when it arrived (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
public readonly record struct TimedEvent(JsonElement Event, long ArrivedAt);

public static class JsonElementExtensions
{
    public static string Type(this JsonElement e) => e.GetProperty("type").GetString()!;

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
