using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Reads a provider connection's messages whole, into one pooled buffer that grows as far as a cap. A message's bytes
/// are valid until the next read. One reader loop per connection uses it; dispose it after that loop has ended.
/// </summary>
public sealed class ProviderMessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, maxMessageBytes)); // an audio delta fits; grown for rarer big events

    /// <summary>
    /// The next whole message; <see cref="ProviderMessageKind.Closed"/> when the peer closed (its status is on the
    /// socket); <see cref="ProviderMessageKind.TooLarge"/> when the message passed the cap (the rest of it is unread:
    /// the connection cannot go on).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // called per message (50 a second per session): no box each time
    public async ValueTask<ProviderMessage> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= maxMessageBytes) return new ProviderMessage(ProviderMessageKind.TooLarge, default);
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxMessageBytes));
                _buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, Math.Min(_buffer.Length, maxMessageBytes) - length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return new ProviderMessage(ProviderMessageKind.Closed, default);
            length += result.Count;
            if (result.EndOfMessage) return new ProviderMessage(ProviderMessageKind.Message, _buffer.AsMemory(0, length));
            if (length >= maxMessageBytes) return new ProviderMessage(ProviderMessageKind.TooLarge, default);
        }
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>What <see cref="ProviderMessageReader.ReadAsync"/> read.</summary>
public readonly record struct ProviderMessage(ProviderMessageKind Kind, ReadOnlyMemory<byte> Data);

public enum ProviderMessageKind : byte
{
    /// <summary>A whole message (text or binary) in <see cref="ProviderMessage.Data"/>.</summary>
    Message,

    /// <summary>The peer's close frame arrived.</summary>
    Closed,

    /// <summary>The message passed the reader's cap.</summary>
    TooLarge,
}
