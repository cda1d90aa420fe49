using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>A raw ClientWebSocket speaking the Live wire protocol, recording every frame it receives.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    public const string DefaultPath = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly Channel<Frame?> _frames = Channel.CreateUnbounded<Frame?>();
    private Task? _pump;

    private LiveClient(ClientWebSocket socket) => _socket = socket;

    public List<Frame> Received { get; } = [];
    public int? CloseCode { get; private set; }
    public string? CloseReason { get; private set; }
    /// <summary>True once the server's close was read by the pump.</summary>
    public bool IsClosed => CloseCode is not null && _frames.Reader.Completion.IsCompleted;

    public static async Task<LiveClient> ConnectAsync(Uri wsBase, string path, string? key, IDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        var query = key is null ? string.Empty : (path.Contains('?') ? "&" : "?") + "key=" + Uri.EscapeDataString(key);
        var uri = new Uri(wsBase.GetLeftPart(UriPartial.Authority) + path + query);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new LiveClient(socket);
    }

    public static async Task<(ClientWebSocket Socket, Exception? Error)> TryConnectAsync(Uri wsBase, string path)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(new Uri(wsBase.GetLeftPart(UriPartial.Authority) + path), CancellationToken.None);
            return (socket, null);
        }
        catch (WebSocketException ex)
        {
            return (socket, ex);
        }
    }

    public Task SendAsync(string json, bool binary = false) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendSetupAsync(string setupBody = """{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025"}""") =>
        SendAsync($$"""{"setup":{{setupBody}}}""");

    public Task SendTextAsync(string text) =>
        SendAsync(JsonSerializer.Serialize(new { realtimeInput = new { text } }));

    public Task SendAudioChunkAsync(ReadOnlySpan<byte> pcm, int rate = 16000) =>
        SendAsync(JsonSerializer.Serialize(new { realtimeInput = new { audio = new { data = Convert.ToBase64String(pcm), mimeType = $"audio/pcm;rate={rate}" } } }));

    /// <summary>Streams PCM in 20 ms chunks as fast as possible (the VAD runs on audio time).</summary>
    public async Task SendAudioAsync(byte[] pcm, int rate = 16000)
    {
        var chunk = rate / 50 * 2;
        for (var offset = 0; offset < pcm.Length; offset += chunk)
        {
            await SendAudioChunkAsync(pcm.AsSpan(offset, Math.Min(chunk, pcm.Length - offset)), rate);
        }
    }

    /// <summary>Connects, sends setup and waits for setupComplete.</summary>
    public async Task<Frame> SetupAsync(string setupBody = """{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025"}""")
    {
        await SendSetupAsync(setupBody);
        var first = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed before setupComplete: {CloseCode} {CloseReason}");
        Assert.True(first.Json.TryGetProperty("setupComplete", out _), "first server message must be setupComplete, got " + first.Raw);
        return first;
    }

    /// <summary>The next frame, or null once the server closed; throws TimeoutException when none arrives in time.</summary>
    /// <remarks>Frames are read by a background pump: cancelling a ClientWebSocket receive would abort the socket.</remarks>
    public async Task<Frame?> ReceiveAsync(TimeSpan? timeout = null)
    {
        _pump ??= Task.Run(PumpAsync);
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            if (!await _frames.Reader.WaitToReadAsync(cts.Token))
            {
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame within the timeout.");
        }

        var frame = await _frames.Reader.ReadAsync();
        if (frame is not null)
        {
            Received.Add(frame);
        }

        return frame;
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseCode = (int?)result.CloseStatus ?? 1005;
                    CloseReason = result.CloseStatusDescription ?? string.Empty;
                    try
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    }
                    catch (WebSocketException)
                    {
                    }

                    return;
                }

                var raw = Encoding.UTF8.GetString(_buffer, 0, length);
                using var document = JsonDocument.Parse(raw);
                await _frames.Writer.WriteAsync(new Frame(document.RootElement.Clone(), raw, result.MessageType, DateTimeOffset.UtcNow));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            CloseCode ??= 1006;
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Reads frames until one matches; returns every frame read, the match last.</summary>
    public async Task<List<Frame>> CollectUntilAsync(Func<JsonElement, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        var frames = new List<Frame>();
        while (true)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("No matching frame. Got: " + string.Join("\n", frames.Select(f => f.Short)));
            }

            Frame? frame;
            try
            {
                frame = await ReceiveAsync(left);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException("No matching frame. Got: " + string.Join("\n", frames.Select(f => f.Short)));
            }

            if (frame is null)
            {
                throw new InvalidOperationException($"Closed ({CloseCode} {CloseReason}) before a matching frame. Got: " + string.Join("\n", frames.Select(f => f.Short)));
            }

            frames.Add(frame);
            if (predicate(frame.Json))
            {
                return frames;
            }
        }
    }

    public async Task<Frame> WaitForAsync(Func<JsonElement, bool> predicate, TimeSpan? timeout = null) =>
        (await CollectUntilAsync(predicate, timeout))[^1];

    /// <summary>Reads until the server closes; returns the frames received before the close.</summary>
    public async Task<List<Frame>> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var frames = new List<Frame>();
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var frame = await ReceiveAsync(deadline - DateTimeOffset.UtcNow);
            if (frame is null)
            {
                return frames;
            }

            frames.Add(frame);
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed record Frame(JsonElement Json, string Raw, WebSocketMessageType Type, DateTimeOffset At)
{
    public string Short => Raw.Length > 200 ? Raw[..200] + "…" : Raw;
}
