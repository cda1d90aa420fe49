using System.Net.WebSockets;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The ends the platform decides for a session, rather than its client or its Router. A budget or cap reached: the
/// documented <c>session.limit_reached</c>, then, if the limit ends the session, the end once the current response is
/// done (within a grace). An idle client: <c>session.idle_warning</c>, then close 1000 <c>idle_timeout</c> (end reason
/// <c>idle</c>). A revoked API key: an <c>api_key_revoked</c> error, then close 1008. The last two end at once, without
/// waiting for a response. Each tells the Router the end reason first (a close frame in the buffer), so it records it.
/// </summary>
public sealed class PlatformSessionEnd(
    ClientSocket client,
    ClientFrameBuffer frames,
    RealtimeOptions options,
    ClientSessionLimits limits,
    Quality.SessionQualityMeter quality,
    ILogger logger,
    string sessionId,
    Func<bool> responseOpen)
{
    public const string IdleCloseReason = "idle_timeout";
    public const string IdleEndReason = "idle";
    public const string RevokedKeyReason = "api_key_revoked";

    // How long the Router (told the end reason) and the client (sent the close) get to finish before the session is cut.
    private static readonly TimeSpan ReclaimGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LimitResponseGrace = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _reclaimed = new();
    private string? _limitEndReason; // a limit ends the session after the current response
    private int _limitEnded;

    /// <summary>Cancelled when an idle or revoked-key end has given the Router and the client their grace: the session is over.</summary>
    public CancellationToken Reclaimed => _reclaimed.Token;

    /// <summary>The session's idle timer (every client message touches it): it warns, then ends the session.</summary>
    public ClientIdleTimer StartIdleTimer() => new ClientIdleTimer(options.IdleTimeout, options.IdleWarning, limits.Clock,
        closesIn => client.SendAsync(GatewayEvents.IdleWarning(options.IdleTimeout, closesIn), CancellationToken.None).AsTask(),
        () => EndNowAsync(null, WebSocketCloseStatus.NormalClosure, IdleCloseReason, IdleEndReason));

    public IDisposable EndWhenKeyRevoked() => limits.KeySessions.Register(limits.KeyId, () => EndNowAsync(
        new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, RevokedKeyReason,
            "The API key this session was opened with has been revoked. The session ends now.").ToJson(),
        WebSocketCloseStatus.PolicyViolation, RevokedKeyReason, RevokedKeyReason));

    /// <summary>
    /// A budget or cap was reached: tell the client; if the limit ends the session, end it once the current response is
    /// done (or now if none is), within a bound.
    /// </summary>
    public async Task OnLimitReachedAsync(SessionLimitReached limit)
    {
        if (limit.EndsSession && Interlocked.CompareExchange(ref _limitEndReason, limit.EndReason, null) is not null) return; // ending already
        await client.SendAsync(GatewayEvents.LimitReached(limit), CancellationToken.None);
        if (!limit.EndsSession) return;
        if (!responseOpen())
        {
            await EndForLimitAsync();
            return;
        }
        _ = EndAfterGraceAsync(); // the response's response.done ends it; one that never finishes must not keep it alive
    }

    /// <summary>A response ended: a limit waiting for it ends the session now.</summary>
    public async Task ResponseDoneAsync()
    {
        if (_limitEndReason is not null) await EndForLimitAsync();
    }

    /// <summary>
    /// The limit's reason once a limit is ending the session: the Router, told first, may finish its stream before the
    /// limit's own close goes out, and the client must still learn why.
    /// </summary>
    public string LimitReasonOr(string reason) => Volatile.Read(ref _limitEnded) == 1 && _limitEndReason is { } limit ? limit : reason;

    private async Task EndAfterGraceAsync()
    {
        await Task.Delay(LimitResponseGrace, limits.Clock);
        await EndForLimitAsync();
    }

    /// <summary>Tells the Router why (it records the end reason), then closes the client normally.</summary>
    private async Task EndForLimitAsync()
    {
        if (_limitEndReason is not { } reason || Interlocked.Exchange(ref _limitEnded, 1) == 1) return;
        logger.LogInformation("Session {SessionId} ends: {Reason}", sessionId, reason);
        quality.Ending(Quality.QualityEndReasons.Limit);
        frames.TryAppend(new SessionClientFrame { Close = new SessionClose { Reason = reason } });
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, reason);
    }

    /// <summary>Tells the client why (if <paramref name="notice"/>), tells the Router the end reason, closes the client.</summary>
    private async Task EndNowAsync(ReadOnlyMemory<byte>? notice, WebSocketCloseStatus status, string closeReason, string endReason)
    {
        if (!client.TryDecideEnding(status, closeReason)) return;
        logger.LogInformation("Session {SessionId} ends: {Reason}", sessionId, endReason);
        quality.Ending(endReason == RevokedKeyReason ? Quality.QualityEndReasons.KeyRevoked : Quality.QualityEndReasons.Idle);
        if (notice is { } json) await client.SendAsync(json, CancellationToken.None);
        frames.TryAppend(new SessionClientFrame { Close = new SessionClose { Reason = endReason } });
        await client.CloseAsync(status, closeReason);
        // Normally the Router ends the stream at once and the client answers the close. A session without a Router
        // (re-attaching) or a client that never answers (it is idle, perhaps dead) must not hold its slot anyway.
        await Task.Delay(ReclaimGrace, limits.Clock);
        await _reclaimed.CancelAsync();
    }
}
