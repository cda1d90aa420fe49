using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The deadlines that end a connection: its lifetime or the session cap, the goAway ahead of them, a configured
/// fault close and (Vertex) the credential's expiry. Null means not scheduled; the event loop acts on them.
/// </summary>
internal sealed class ConnectionDeadlines(GeminiEmulatorOptions options, bool onVertex)
{
    public DateTimeOffset? CloseAt { get; private set; }

    /// <summary>The close is the session cap's (which ends the session), not the connection lifetime's.</summary>
    public bool CloseIsSessionCap { get; private set; }

    public DateTimeOffset? FaultCloseAt { get; private set; }

    public DateTimeOffset? CredentialExpiresAt { get; private set; } // Vertex:CloseOnTokenExpiry

    private DateTimeOffset? _goAwayAt;
    private bool _goAwaySent;

    public void Start(DateTimeOffset connectedAt, LiveAuth auth, bool faulted)
    {
        var lifetime = onVertex ? options.Vertex.ConnectionLifetime : options.ConnectionLifetime;
        if (lifetime > TimeSpan.Zero)
        {
            ScheduleClose(connectedAt + lifetime, sessionCap: false, connectedAt);
        }

        if (onVertex && options.Vertex.CloseOnTokenExpiry)
        {
            CredentialExpiresAt = auth.ExpiresAt;
        }

        if (faulted && options.Faults.CloseAfterSeconds > 0)
        {
            FaultCloseAt = connectedAt + TimeSpan.FromSeconds(options.Faults.CloseAfterSeconds);
        }
    }

    /// <summary>Sets the connection's close deadline and the goAway that precedes it.</summary>
    public void ScheduleClose(DateTimeOffset closeAt, bool sessionCap, DateTimeOffset now)
    {
        if (CloseAt is { } existing && existing <= closeAt)
        {
            return;
        }

        CloseAt = closeAt;
        CloseIsSessionCap = sessionCap;
        if (!_goAwaySent && (!sessionCap || options.GoAwayBeforeSessionCap))
        {
            var goAway = closeAt - (onVertex ? options.Vertex.GoAwayLeadTime : options.GoAwayLeadTime);
            _goAwayAt = goAway < now ? now : goAway;
        }
    }

    /// <summary>The earliest deadline; the goAway counts only once setupComplete (always the first server message) is out.</summary>
    public DateTimeOffset? Next(bool setupCompleted)
    {
        var goAway = _goAwaySent || !setupCompleted ? null : _goAwayAt;
        return Earlier(Earlier(FaultCloseAt, CredentialExpiresAt), Earlier(CloseAt, goAway));
    }

    /// <summary>The close time to announce when the goAway is due (once only), else null.</summary>
    public DateTimeOffset? TakeDueGoAway(DateTimeOffset now)
    {
        if (_goAwaySent || !(_goAwayAt <= now) || CloseAt is not { } closeAt)
        {
            return null;
        }

        _goAwaySent = true;
        return closeAt;
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) =>
        a is not { } x ? b : b is not { } y ? a : x <= y ? x : y;
}
