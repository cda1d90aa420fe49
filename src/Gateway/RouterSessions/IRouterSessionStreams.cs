using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.RouterSessions;

/// <summary>
/// Opens a session stream to some Router instance (discovery picks which). The session code sees gRPC's shapes and
/// status codes whichever transport carries the stream (<see cref="RouterSessionTransport"/>).
/// </summary>
public interface IRouterSessionStreams
{
    IRouterSessionCall Open(CancellationToken cancellationToken);
}

/// <summary>One session stream; disposing it abandons the stream (a Router still writing sees it cancelled).</summary>
public interface IRouterSessionCall : IDisposable
{
    IClientStreamWriter<SessionClientFrame> RequestStream { get; }

    IAsyncStreamReader<SessionServerFrame> ResponseStream { get; }

    /// <summary>Completes when a Router has taken the stream (gRPC: its response headers; WebSocket: the upgrade).</summary>
    Task ResponseHeadersAsync { get; }
}
