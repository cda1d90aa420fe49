namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Ends sessions whose client has gone quiet: after <c>timeout − warning</c> without <see cref="Touch"/> (a client
/// message) it warns once, after <c>timeout</c> it expires. A message after the warning starts a new quiet period.
/// Touch only stores a timestamp (it runs per audio frame); the timer re-arms itself from it when it fires.
/// A zero or negative timeout disables the timer.
/// </summary>
public sealed class ClientIdleTimer : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _warning;
    private readonly Func<TimeSpan, Task> _warn;
    private readonly Func<Task> _expire;
    private readonly ITimer? _timer;
    private readonly Lock _gate = new();
    private long _lastActivity;
    private bool _warned;
    private bool _done;

    /// <param name="warn">Called once per quiet period with the time left before the close.</param>
    /// <param name="expire">Called once, when the timeout has passed without a message.</param>
    public ClientIdleTimer(TimeSpan timeout, TimeSpan warning, TimeProvider clock, Func<TimeSpan, Task> warn, Func<Task> expire)
    {
        _clock = clock;
        _timeout = timeout;
        _warning = warning < TimeSpan.Zero ? TimeSpan.Zero : warning > timeout ? timeout : warning;
        _warn = warn;
        _expire = expire;
        _lastActivity = clock.GetTimestamp();
        if (timeout > TimeSpan.Zero) _timer = clock.CreateTimer(_ => OnTimer(), null, _timeout - _warning, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The client sent something: the session is not idle.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, _clock.GetTimestamp());

    private void OnTimer()
    {
        Func<Task>? fire = null;
        lock (_gate)
        {
            if (_done) return;
            var quiet = _clock.GetElapsedTime(Volatile.Read(ref _lastActivity));
            if (quiet >= _timeout)
            {
                _done = true;
                fire = _expire;
            }
            else if (quiet >= _timeout - _warning)
            {
                if (!_warned)
                {
                    _warned = true;
                    var left = _timeout - quiet;
                    fire = () => _warn(left);
                }
                _timer!.Change(_timeout - quiet, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _warned = false; // the client spoke since: a new quiet period
                _timer!.Change(_timeout - _warning - quiet, Timeout.InfiniteTimeSpan);
            }
        }
        if (fire is not null) _ = fire();
    }

    public void Dispose()
    {
        lock (_gate) _done = true;
        _timer?.Dispose();
    }
}
