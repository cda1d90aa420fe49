using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Grpc.Core;

namespace VoicePlatform.Contracts.SessionSockets;

/// <summary>
/// Writes one protobuf message per binary WebSocket message, as a gRPC stream writer would: one write at a time (the
/// callers already serialise their writes, as gRPC requires), each serialised into one reused buffer and sent on the
/// caller's thread. <see cref="CompleteAsync"/> is the client's half-close. A broken connection throws
/// <see cref="StatusCode.Unavailable"/>.
/// </summary>
public sealed class SocketMessageWriter<T>(WebSocket socket, Action? onBroken = null)
    : IServerStreamWriter<T>, IClientStreamWriter<T> where T : IMessage<T>
{
    private const int InitialBufferBytes = 4 * 1024;
    private ArrayBufferWriter<byte> _buffer = new(InitialBufferBytes);

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        message.WriteTo(_buffer);
        try
        {
            await socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            onBroken?.Invoke();
            throw SessionSocket.Broken(e);
        }
        finally
        {
            if (_buffer.Capacity > InitialBufferBytes * 256) _buffer = new ArrayBufferWriter<byte>(InitialBufferBytes);
        }
    }

    /// <summary>No more messages from this side (a WebSocket close; the other side may go on writing until it closes).</summary>
    public async Task CompleteAsync()
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            onBroken?.Invoke();
            throw SessionSocket.Broken(e);
        }
    }
}
