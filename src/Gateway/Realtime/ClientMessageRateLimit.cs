namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// One connection's message rate limit, counted in the client's time: a token bucket holding up to <c>MessageBurst</c>
/// messages, refilled at <c>MessagesPerSecond</c>. While this connection is not reading because the session's input
/// buffer is full (the Router takes no input: a failover, a provider reconnect), the client's messages wait in the
/// socket and are read later all at once; that burst is the platform's doing, so the messages the client could have
/// sent at the allowed rate meanwhile pass without tokens. (System.Threading.RateLimiting's bucket reads the
/// Stopwatch; this one reads <see cref="TimeProvider"/>, so tests drive it with a fake clock.)
/// </summary>
internal sealed class ClientMessageRateLimit(int perSecond, int burst, TimeSpan longestPause, TimeProvider clock)
{
    private readonly double _maxBacklog = perSecond * longestPause.TotalSeconds;
    private long _refilledAt = clock.GetTimestamp();
    private double _tokens = burst;
    private double _backlog; // messages owed for time spent not reading

    /// <summary>True if one more message may pass now.</summary>
    public bool TryAcquire()
    {
        _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_refilledAt).TotalSeconds * perSecond);
        _refilledAt = clock.GetTimestamp();
        if (_backlog >= 1)
        {
            _backlog--;
            return true;
        }
        if (_tokens < 1) return false;
        _tokens--;
        return true;
    }

    /// <summary>
    /// The connection did not read for <paramref name="paused"/>, waiting for room in the session's input buffer. A
    /// pause shorter than one message at the allowed rate queued nothing the client was allowed to send: it earns nothing
    /// (every message pauses a few microseconds to be buffered; counting those would raise the limit for a flood).
    /// </summary>
    public void ReadingPaused(TimeSpan paused)
    {
        if (paused.TotalSeconds * perSecond < 1) return;
        _backlog = Math.Min(_maxBacklog, _backlog + paused.TotalSeconds * perSecond);
    }
}
