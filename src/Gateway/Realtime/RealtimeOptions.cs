using VoicePlatform.Gateway.RouterSessions;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>Configuration section <c>Gateway:Realtime</c>: limits on what a realtime client controls.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Gateway:Realtime";

    /// <summary>Largest client message; bigger ones get an error event and are discarded (OpenAI allows 15 MiB appends).</summary>
    public int MaxMessageBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>Sustained client messages per second (token bucket); 20 ms audio frames are 50/s.</summary>
    public int MessagesPerSecond { get; set; } = 500;

    /// <summary>Burst allowance: a client catching up after a network stall sends its backlog at once, and a Gateway that
    /// fell behind reads it at once too; neither should cost the client its audio.</summary>
    public int MessageBurst { get; set; } = 1000;

    /// <summary>Longest a session may run; the client then gets <c>session_expired</c> and a 1001 close.</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a session may be without a Router (one died or drained) before the client gets an error.</summary>
    public TimeSpan ReattachTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a Router may take to accept a session's stream (its response headers, sent at once by a live
    /// one) before the attempt is abandoned and another is made: a hung instance costs one attempt, not the whole
    /// <see cref="ReattachTimeout"/> or <see cref="StartTimeout"/>.</summary>
    public TimeSpan RouterAnswerTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Client input held for the Router while unacknowledged (during a re-attach it piles up here).</summary>
    public long ReattachBufferBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long after its socket dropped a client may resume the session (session id + resume token).</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On shutdown, how long clients get between <c>session.draining</c> and the close.</summary>
    public TimeSpan DrainGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the Router's <c>session.created</c>.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A session without a client message for this long is closed (1000 <c>idle_timeout</c>, end reason
    /// <c>idle</c>). WebSocket pongs are answered inside the framework and are not seen, so only messages count.
    /// Zero turns the idle timeout off.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before the idle close the client gets <c>session.idle_warning</c>.</summary>
    public TimeSpan IdleWarning { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the Gateway pings the client (WebSocket ping frames). Zero turns keep-alive off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a ping may go without its pong before the connection is dropped as dead (the session then ends
    /// as if the client had left). Zero sends unsolicited pongs as a heartbeat instead and never drops.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>What carries sessions to the Routers: <c>Grpc</c> (RealtimeRouter.RunSession) or <c>WebSocket</c> (the same
    /// frames over a WebSocket on the Routers' HTTP/1.1 port, <c>services:router:http</c>). Read at start.</summary>
    public RouterSessionTransport RouterTransport { get; set; } = RouterSessionTransport.Grpc;
}
