namespace VoicePlatform.Gateway.RouterSessions;

/// <summary>What carries a session between the Gateway and a Router (<c>Gateway:Realtime:RouterTransport</c>).</summary>
public enum RouterSessionTransport
{
    /// <summary><c>RealtimeRouter.RunSession</c>, a gRPC bidirectional stream on the Router's HTTP/2 port.</summary>
    Grpc,

    /// <summary>The same frames over a WebSocket on the Router's HTTP/1.1 port (<c>SessionSocket</c>).</summary>
    WebSocket,
}
