using System.Net.WebSockets;
using Grpc.Core;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Contracts.SessionSockets;

namespace VoicePlatform.Gateway.RouterSessions;

/// <summary>
/// One session stream over a WebSocket to a Router. The connection is made when the call opens; writes and reads wait
/// for it. Failures surface as the <see cref="RpcException"/>s a gRPC call would throw (connect refused or broken:
/// <see cref="StatusCode.Unavailable"/>; the Router's refusal: the status its close carries).
/// </summary>
internal sealed class SocketRouterSessionCall : IRouterSessionCall, IClientStreamWriter<SessionClientFrame>, IAsyncStreamReader<SessionServerFrame>
{
    private readonly ClientWebSocket _socket = new();
    private readonly SocketMessageWriter<SessionClientFrame> _writer;
    private readonly SocketMessageReader<SessionServerFrame> _reader;

    public SocketRouterSessionCall(Func<CancellationToken, ValueTask<Uri>> pickRouter, HttpMessageInvoker connections, CancellationToken cancellationToken)
    {
        _socket.Options.AddSubProtocol(SessionSocket.SubProtocol);
        // As the gRPC channel's HTTP/2 pings: a Router that vanished without a FIN is found within half a minute.
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        _socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        _writer = new SocketMessageWriter<SessionClientFrame>(_socket);
        _reader = new SocketMessageReader<SessionServerFrame>(_socket, SessionServerFrame.Parser, SessionStreamLimits.MaxStreamMessageBytes);
        ResponseHeadersAsync = ConnectAsync(pickRouter, connections, cancellationToken);
    }

    public IClientStreamWriter<SessionClientFrame> RequestStream => this;

    public IAsyncStreamReader<SessionServerFrame> ResponseStream => this;

    public Task ResponseHeadersAsync { get; }

    public SessionServerFrame Current => _reader.Current;

    public WriteOptions? WriteOptions { get; set; }

    public async Task WriteAsync(SessionClientFrame message, CancellationToken cancellationToken)
    {
        if (!ResponseHeadersAsync.IsCompletedSuccessfully) await ResponseHeadersAsync.WaitAsync(cancellationToken);
        await _writer.WriteAsync(message, cancellationToken);
    }

    public Task WriteAsync(SessionClientFrame message) => WriteAsync(message, CancellationToken.None);

    public async Task CompleteAsync()
    {
        await ResponseHeadersAsync;
        await _writer.CompleteAsync();
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!ResponseHeadersAsync.IsCompletedSuccessfully) await ResponseHeadersAsync.WaitAsync(cancellationToken);
        return await _reader.MoveNext(cancellationToken);
    }

    public void Dispose() => _socket.Dispose();

    private async Task ConnectAsync(Func<CancellationToken, ValueTask<Uri>> pickRouter, HttpMessageInvoker connections, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.ConnectAsync(await pickRouter(cancellationToken), connections, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The session stream was cancelled before a Router took it."));
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"No Router took the session stream: {e.Message}", e));
        }
    }
}
