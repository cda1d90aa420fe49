using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.Bench.BackingLoadBenchmark;

/// <summary>
/// One caller: a realtime session through the Gateway that speaks in turns, as a voice agent's user does: audio in
/// 20 ms frames (24 kHz PCM16, a quiet tone) at real-time pace for <c>speak</c>, then <c>input_audio_buffer.commit</c>
/// and <c>response.create</c>, waits for <c>response.done</c> (the emulator answers with synthesized speech), again.
/// Turn detection is off so the turns are the benchmark's, not the VAD's.
/// </summary>
public sealed class LoadSession : IAsyncDisposable
{
    private static readonly byte[] Frame = AppendMessage();
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private TaskCompletionSource _responseDone = NewSignal();
    private TaskCompletionSource _sessionUpdated = NewSignal();
    private Task _receiving = Task.CompletedTask;

    public int Turns { get; private set; }

    public int Errors { get; private set; }

    public string? LastError { get; private set; }

    public static async Task<LoadSession> ConnectAsync(Uri uri, string apiKey, CancellationToken cancellationToken)
    {
        var session = new LoadSession();
        session._socket.Options.SetRequestHeader("Authorization", $"Bearer {apiKey}");
        await session._socket.ConnectAsync(uri, cancellationToken);
        session._receiving = session.ReceiveAsync();
        await session.SendAsync("""{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}""", cancellationToken);
        await session._sessionUpdated.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return session;
    }

    /// <summary>Turns until <paramref name="cancellationToken"/> fires.</summary>
    public async Task TalkAsync(TimeSpan speak, CancellationToken cancellationToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var frames = (int)(speak.TotalMilliseconds / 20);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                for (var i = 0; i < frames; i++)
                {
                    await pace.WaitForNextTickAsync(cancellationToken);
                    await SendAsync(Frame, cancellationToken);
                }
                _responseDone = NewSignal();
                await SendAsync("""{"type":"input_audio_buffer.commit"}""", cancellationToken);
                await SendAsync("""{"type":"response.create"}""", cancellationToken);
                await _responseDone.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                Turns++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private Task SendAsync(string json, CancellationToken cancellationToken) => SendAsync(Encoding.UTF8.GetBytes(json), cancellationToken);

    private async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[256 * 1024];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                Handle(message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (WebSocketException)
        {
        }
        _responseDone.TrySetException(new WebSocketException("closed"));
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        // Only the event type matters; audio deltas are large and many, so the type is read without parsing the rest.
        var reader = new Utf8JsonReader(json);
        string? type = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("type"))
            {
                reader.Read();
                type = reader.GetString();
                break;
            }
        }
        switch (type)
        {
            case "session.updated":
                _sessionUpdated.TrySetResult();
                break;
            case "response.done":
                _responseDone.TrySetResult();
                break;
            case "error":
                Errors++;
                LastError = Encoding.UTF8.GetString(json);
                _sessionUpdated.TrySetException(new InvalidOperationException(LastError));
                break;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static byte[] AppendMessage()
    {
        var samples = new byte[960];
        for (var i = 0; i < 480; i++)
        {
            var value = (short)(800 * Math.Sin(2 * Math.PI * 300 * i / 24000.0));
            samples[2 * i] = (byte)value;
            samples[2 * i + 1] = (byte)(value >> 8);
        }
        return Encoding.UTF8.GetBytes($$"""{"type":"input_audio_buffer.append","audio":"{{Convert.ToBase64String(samples)}}"}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
                await _receiving.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
            {
            }
        }
        _socket.Dispose();
        _sending.Dispose();
    }
}
