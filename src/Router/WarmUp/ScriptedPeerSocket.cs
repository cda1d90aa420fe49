using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace VoicePlatform.Router.WarmUp;

/// <summary>
/// The provider end of a warm-up connection, for <see cref="IProviderWarmUp"/> scripts: whole messages in, JSON
/// messages out. Messages are bounded (a warm-up peer has no reason to accept more than a few frames' worth).
/// </summary>
public sealed class ScriptedPeerSocket(WebSocket socket)
{
    private const int MaxMessageBytes = 1 << 20;
    private readonly ArrayBufferWriter<byte> _received = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _outgoing = new(16 * 1024);

    /// <summary>The next whole message, or empty once the connector closed (the close is answered).</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken)
    {
        _received.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(_received.GetMemory(8 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "warm-up done", cancellationToken);
                return ReadOnlyMemory<byte>.Empty;
            }
            _received.Advance(result.Count);
            if (_received.WrittenCount > MaxMessageBytes)
                throw new InvalidOperationException("A warm-up message exceeded 1 MiB.");
            if (result.EndOfMessage) return _received.WrittenMemory;
        }
    }

    /// <summary>Sends one JSON text message written by <paramref name="write"/>.</summary>
    public async ValueTask SendAsync<TState>(TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        _outgoing.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_outgoing))
        {
            write(writer, state);
        }
        await socket.SendAsync(_outgoing.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>20 ms of a quiet 440 Hz tone (−44 dBFS), PCM16 LE mono at <paramref name="sampleRate"/>: model audio for the scripts.</summary>
    public static byte[] QuietTone(int sampleRate)
    {
        var samples = sampleRate / 50;
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(200 * Math.Sin(2 * Math.PI * 440 * i / sampleRate));
            pcm[2 * i] = (byte)value;
            pcm[2 * i + 1] = (byte)(value >> 8);
        }
        return pcm;
    }
}
