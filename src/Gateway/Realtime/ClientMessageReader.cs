using System.Buffers;
using System.Net.WebSockets;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Reads whole WebSocket messages into one pooled, growing buffer with a size cap. A message over the cap is read to
/// its end and discarded (the caller reports it), so one oversized message does not end the session; its first
/// <see cref="KeptPrefixBytes"/> are kept so the error can still name the client's <c>event_id</c>.
/// </summary>
public sealed class ClientMessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    public const int KeptPrefixBytes = 4096;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private readonly byte[] _prefix = new byte[KeptPrefixBytes];
    private int _prefixLength;

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
                    if (!oversized) KeepPrefix(length);
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
                KeepPrefix(length);
                length = 0;
            }
            if (result.EndOfMessage)
            {
                if (oversized) return new ClientMessage(ClientMessageKind.TooLarge, _prefix.AsMemory(0, _prefixLength));
                return new ClientMessage(result.MessageType == WebSocketMessageType.Text ? ClientMessageKind.Text : ClientMessageKind.Binary,
                    _buffer.AsMemory(0, length));
            }
        }
    }

    private void KeepPrefix(int length)
    {
        _prefixLength = Math.Min(length, KeptPrefixBytes);
        _buffer.AsSpan(0, _prefixLength).CopyTo(_prefix);
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

/// <summary>One client message; <see cref="Payload"/> (for <see cref="ClientMessageKind.TooLarge"/>: its beginning) is valid until the next read.</summary>
public readonly record struct ClientMessage(ClientMessageKind Kind, ReadOnlyMemory<byte> Payload);
