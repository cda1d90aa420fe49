namespace VoicePlatform.Router.Sessions.Switching;

/// <summary>
/// The provider connection a session sends on, the one being built to replace it, and the hold on client input while
/// that happens. Every send takes <see cref="EnterSendAsync"/>; between <see cref="BeginAsync"/> and the end of the
/// switch (<see cref="CompleteAsync"/> or <see cref="AbandonAsync"/>) client frames go to <see cref="Held"/> instead,
/// and the current connection's end belongs to the switch, not to the client (<see cref="EndIsTheClients"/>). Who
/// decides when to switch, and how a new connection is opened and rebuilt, is the provider's. Used by OpenAI (cap
/// rollover, drop, resume) and Gemini (goAway, setup change, drop, refused handle); a session that already orders every
/// send on one gate of its own (Gemini's) need not take <see cref="EnterSendAsync"/>.
/// </summary>
public sealed class ConnectionSwitch<TConnection> : IDisposable where TConnection : class
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _gate = new();
    private TConnection? _current;
    private TConnection? _candidate;
    private bool _switching;

    /// <summary>Client frames held during a switch (used under the send lock).</summary>
    public HeldClientInput Held { get; } = new();

    public TConnection? Current => Volatile.Read(ref _current);

    /// <summary>The connection being built (its events are the switch's business).</summary>
    public TConnection? Candidate => Volatile.Read(ref _candidate);

    /// <summary>Under the send lock: a switch is in progress and client frames are held, not sent.</summary>
    public bool Holding { get; private set; }

    /// <summary>Serialises every send on the session's connections, the switch's included.</summary>
    public Task EnterSendAsync(CancellationToken cancellationToken) => _sendLock.WaitAsync(cancellationToken);

    public void ExitSend() => _sendLock.Release();

    /// <summary>The first connection (or, with <paramref name="asCandidate"/>, one rebuilt before anything is sent).</summary>
    public void Open(TConnection connection, bool asCandidate = false)
    {
        lock (_gate)
        {
            if (asCandidate) _candidate = connection;
            else _current = connection;
        }
    }

    /// <summary>A connection rebuilt outside a switch (a resume) becomes the current one.</summary>
    public void Promote(TConnection connection)
    {
        lock (_gate)
        {
            _current = connection;
            if (_candidate == connection) _candidate = null;
        }
    }

    /// <summary>
    /// Whether the end of <paramref name="connection"/> is the client's to hear: it is the current one and no switch has
    /// taken charge of it. <paramref name="underGate"/> runs first, under the same lock, so that what it records is seen
    /// by a switch deciding at the same moment.
    /// </summary>
    public bool EndIsTheClients(TConnection connection, Action? underGate = null)
    {
        lock (_gate)
        {
            underGate?.Invoke();
            return connection == _current && !_switching;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> if a switch is in progress, under the lock that ends a switch, so that an abandoned
    /// switch sees what it recorded; returns whether it ran.
    /// </summary>
    public bool IfSwitching(Action action)
    {
        lock (_gate)
        {
            if (!_switching) return false;
            action();
            return true;
        }
    }

    /// <summary>From now on client frames are held and the current connection's end belongs to the switch.</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                Holding = true;
                _switching = true;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The connection being built (its events are not the client's).</summary>
    public void Propose(TConnection connection)
    {
        lock (_gate) _candidate = connection;
    }

    /// <summary>
    /// Under the send lock: <paramref name="next"/> becomes current (<paramref name="swapped"/> runs with the swap,
    /// under the gate), <paramref name="handOver"/> gives it what it needs before the held frames, then the hold ends.
    /// </summary>
    public async Task CompleteAsync(TConnection next, Action swapped, Func<TConnection, Task> handOver)
    {
        await _sendLock.WaitAsync(CancellationToken.None);
        try
        {
            lock (_gate)
            {
                _current = next;
                _candidate = null;
                swapped();
            }
            await handOver(next);
            lock (_gate)
            {
                Holding = false;
                _switching = false;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// The switch did not happen: <paramref name="next"/> (if any) is no longer the candidate; under the send lock the
    /// hold ends and <paramref name="isGone"/> tells, at that same moment, whether the old connection has ended (then
    /// its end is the switch's to report); <paramref name="handBack"/> gets that answer to flush or drop the held frames.
    /// </summary>
    public async Task<bool> AbandonAsync(TConnection? next, Func<bool> isGone, Func<bool, Task> handBack)
    {
        if (next is not null)
        {
            lock (_gate)
            {
                if (_candidate == next) _candidate = null;
            }
        }

        await _sendLock.WaitAsync(CancellationToken.None);
        try
        {
            bool gone;
            lock (_gate)
            {
                Holding = false;
                _switching = false;
                gone = isGone();
            }
            await handBack(gone);
            return gone;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose() => _sendLock.Dispose();
}
