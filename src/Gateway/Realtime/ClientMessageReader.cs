using System.Buffers;
using System.Net.WebSockets;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Reads whole WebSocket messages into one pooled, growing buffer with a size cap. A message over the cap is read to
/// its end and discarded (the caller reports it), so one oversized message does not end the session.
/// </summary>
public sealed class ClientMessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public async ValueTask<ClientMessage> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        var oversized = false;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= maxMessageBytes)
                {
                    oversized = true;
                    length = 0; // keep reading into the same buffer until the message ends
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxMessageBytes));
                    _buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
            }

            var limit = oversized ? _buffer.Length : Math.Min(_buffer.Length, maxMessageBytes + 1);
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, limit - length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return new ClientMessage(ClientMessageKind.Closed, default);
            length += result.Count;
            if (!oversized && length > maxMessageBytes)
            {
                oversized = true;
                length = 0;
            }
            if (result.EndOfMessage)
            {
                if (oversized) return new ClientMessage(ClientMessageKind.TooLarge, default);
                return new ClientMessage(result.MessageType == WebSocketMessageType.Text ? ClientMessageKind.Text : ClientMessageKind.Binary,
                    _buffer.AsMemory(0, length));
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

public enum ClientMessageKind
{
    Text,
    Binary,
    TooLarge,
    Closed,
}

/// <summary>One client message; <see cref="Payload"/> is valid until the next read.</summary>
public readonly record struct ClientMessage(ClientMessageKind Kind, ReadOnlyMemory<byte> Payload);
