using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.RouterSessions;

/// <summary>Session streams as <c>RealtimeRouter.RunSession</c> gRPC calls.</summary>
public sealed class GrpcRouterSessionStreams(RealtimeRouter.RealtimeRouterClient router) : IRouterSessionStreams
{
    public IRouterSessionCall Open(CancellationToken cancellationToken) => new Call(router.RunSession(cancellationToken: cancellationToken));

    private sealed class Call(AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call) : IRouterSessionCall
    {
        public IClientStreamWriter<SessionClientFrame> RequestStream => call.RequestStream;

        public IAsyncStreamReader<SessionServerFrame> ResponseStream => call.ResponseStream;

        public Task ResponseHeadersAsync => call.ResponseHeadersAsync;

        public void Dispose() => call.Dispose();
    }
}
