using System.Net.WebSockets;
using Google.Protobuf;
using Grpc.Core;

namespace VoicePlatform.Contracts.SessionSockets;

/// <summary>
/// Reads one protobuf message per binary WebSocket message, as a gRPC stream reader would. One reader per socket, one
/// <see cref="MoveNext"/> at a time. A close ends the stream (normal) or throws the <see cref="RpcException"/> it
/// carries; a broken connection throws <see cref="StatusCode.Unavailable"/> and calls <c>onBroken</c> (the server side
/// cancels its call token there, as gRPC does when the client goes away).
/// Cancelling <see cref="MoveNext"/> does not abort the socket (a WebSocket receive would): the receive stays pending
/// and the next call takes it up, so a reader can stop between messages (a draining Router) and still write.
/// </summary>
public sealed class SocketMessageReader<T>(WebSocket socket, MessageParser<T> parser, int maxMessageBytes, Action? onBroken = null)
    : IAsyncStreamReader<T> where T : IMessage<T>
{
    private const int InitialBufferBytes = 4 * 1024; // an audio frame is ~1 KiB; bigger events grow it
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _length;                          // bytes of the message being read
    private Task<ValueWebSocketReceiveResult>? _pending; // a receive a cancelled MoveNext left running

    public T Current { get; private set; } = default!;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReceiveAsync(cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (SessionSocket.StatusOf(socket.CloseStatus, socket.CloseStatusDescription) is { } failure) throw new RpcException(failure);
                return false;
            }
            _length += result.Count;
            if (!result.EndOfMessage) continue;
            Current = parser.ParseFrom(_buffer.AsSpan(0, _length));
            _length = 0;
            if (_buffer.Length > InitialBufferBytes * 256) _buffer = new byte[InitialBufferBytes]; // one big event does not pin its buffer
            return true;
        }
    }

    private async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_pending is null)
            {
                if (_length == _buffer.Length) Grow();
                var receive = socket.ReceiveAsync(_buffer.AsMemory(_length), CancellationToken.None);
                if (receive.IsCompleted || !cancellationToken.CanBeCanceled) return await receive;
                _pending = receive.AsTask();
            }
            var result = await _pending.WaitAsync(cancellationToken);
            _pending = null;
            return result;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _pending = null;
            onBroken?.Invoke();
            throw SessionSocket.Broken(e);
        }
    }

    private void Grow()
    {
        if (_buffer.Length >= maxMessageBytes)
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"A session stream message exceeds {maxMessageBytes} bytes."));
        Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxMessageBytes));
    }
}
