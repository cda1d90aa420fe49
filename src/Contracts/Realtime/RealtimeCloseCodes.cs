namespace VoicePlatform.Contracts.Realtime;

/// <summary>
/// WebSocket close codes the platform uses towards clients and reads from providers (RFC 6455 §7.4 and the IANA
/// registry; 4000–4999 are ours). Numbers, not <see cref="System.Net.WebSockets.WebSocketCloseStatus"/>, because
/// several have no member there and the Gateway↔Router stream carries them as integers.
/// </summary>
public static class RealtimeCloseCodes
{
    /// <summary>1000: the session is over as intended (client or platform choice, e.g. a tool ended the call).</summary>
    public const int Normal = 1000;

    /// <summary>1001: the peer is going away (a provider shutting a connection down).</summary>
    public const int GoingAway = 1001;

    /// <summary>1007: a text frame was not valid UTF-8 (RFC 6455 requires closing).</summary>
    public const int InvalidPayload = 1007;

    /// <summary>1008: refused by policy (authentication, a limit on opening a session).</summary>
    public const int PolicyViolation = 1008;

    /// <summary>1011: the provider refused, failed or closed the connection; or an internal error.</summary>
    public const int InternalError = 1011;

    /// <summary>1012: service restart — the Gateway is draining; the client may resume the session elsewhere.</summary>
    public const int ServiceRestart = 1012;

    /// <summary>1013: try again later (a provider overloaded).</summary>
    public const int TryAgainLater = 1013;

    /// <summary>1014: a provider's own gateway got a bad response upstream.</summary>
    public const int BadGateway = 1014;

    /// <summary>4000: the beta API shape was asked for and is disabled (as OpenAI closes it).</summary>
    public const int BetaApiShapeDisabled = 4000;

    /// <summary>4001: another client connection resumed this session; this one is stale.</summary>
    public const int ResumedElsewhere = 4001;
}
