using System.Net.WebSockets;
using VoicePlatform.Contracts.Router;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Ending a session the platform takes back: an idle client (documented <c>session.idle_warning</c>, then close 1000
/// <c>idle_timeout</c>, end reason <c>idle</c>) and a revoked API key (an <c>api_key_revoked</c> error, then close 1008,
/// end reason <c>api_key_revoked</c>). Both end at once, without waiting for a response in progress.
/// </summary>
public sealed partial class RealtimeClientSession
{
    public const string IdleCloseReason = "idle_timeout";
    public const string IdleEndReason = "idle";
    public const string RevokedKeyReason = "api_key_revoked";

    private sealed record Ending(WebSocketCloseStatus Status, string Reason);

    // How long the Router (told the end reason) and the client (sent the close) get to finish before the session is cut.
    private static readonly TimeSpan ReclaimGrace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _reclaimed = new(); // part of the session's lifetime

    private ClientIdleTimer? _idle;
    private Ending? _ending; // once set, every close of the client socket uses it (the Router's end may overtake ours)

    private ClientIdleTimer StartIdleTimer() => _idle = new ClientIdleTimer(options.IdleTimeout, options.IdleWarning, limits.Clock,
        WarnIdleAsync, () => EndNowAsync(null, WebSocketCloseStatus.NormalClosure, IdleCloseReason, IdleEndReason));

    private IDisposable EndWhenKeyRevoked() => limits.KeySessions.Register(limits.KeyId, () => EndNowAsync(
        new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, RevokedKeyReason,
            "The API key this session was opened with has been revoked. The session ends now.").ToJson(),
        WebSocketCloseStatus.PolicyViolation, RevokedKeyReason, RevokedKeyReason));

    private async Task WarnIdleAsync(TimeSpan closesIn)
    {
        var warning = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "session.idle_warning",
            ["event_id"] = RealtimeIds.New("event"),
            ["closes_in_ms"] = (long)closesIn.TotalMilliseconds,
            ["message"] = $"No client message for {(options.IdleTimeout - closesIn).TotalSeconds:0} seconds; the session closes in {closesIn.TotalSeconds:0} seconds unless the client sends something.",
        };
        await SendAsync(VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(warning), CancellationToken.None);
    }

    /// <summary>Tells the client why (if <paramref name="notice"/>), tells the Router the end reason, closes the client.</summary>
    private async Task EndNowAsync(ReadOnlyMemory<byte>? notice, WebSocketCloseStatus status, string closeReason, string endReason)
    {
        if (Volatile.Read(ref _closing) == 1 || Interlocked.CompareExchange(ref _ending, new Ending(status, closeReason), null) is not null) return;
        logger.LogInformation("Session {SessionId} ends: {Reason}", start.SessionId, endReason);
        quality.Ending(endReason == RevokedKeyReason ? Quality.QualityEndReasons.KeyRevoked : Quality.QualityEndReasons.Idle);
        if (notice is { } json) await SendAsync(json, CancellationToken.None);
        _frames.TryAppend(new SessionClientFrame { Close = new SessionClose { Reason = endReason } });
        await CloseAsync(status, closeReason);
        // Normally the Router ends the stream at once and the client answers the close. A session without a Router
        // (re-attaching) or a client that never answers (it is idle, perhaps dead) must not hold its slot anyway.
        await Task.Delay(ReclaimGrace, limits.Clock);
        await _reclaimed.CancelAsync();
    }
}
