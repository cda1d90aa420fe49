using System.Buffers;
using System.Net.WebSockets;

namespace VoicePlatform.Emulators.OpenAIRealtime.Transport;

/// <summary>Result of reading one whole WebSocket message.</summary>
internal readonly record struct ReceivedMessage(WebSocketMessageType Type, int Length, bool TooBig);

/// <summary>
/// Reads whole messages into one pooled buffer that grows on demand up to the configured limit,
/// so steady audio streaming allocates nothing per frame.
/// </summary>
internal sealed class WebSocketMessageReader : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    public ReadOnlyMemory<byte> Data(int length) => _buffer.AsMemory(0, length);

    public async ValueTask<ReceivedMessage> ReadAsync(WebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, bigger, 0, count);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(WebSocketMessageType.Close, 0, false);
            }
            count += result.Count;
            if (count > maxBytes)
            {
                return new ReceivedMessage(result.MessageType, count, true);
            }
            if (result.EndOfMessage)
            {
                return new ReceivedMessage(result.MessageType, count, false);
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
