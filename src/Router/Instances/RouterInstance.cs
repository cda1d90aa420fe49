namespace VoicePlatform.Router.Instances;

/// <summary>This Router process's identity. Session leases (continuity work) name their owner by it.</summary>
public sealed class RouterInstance
{
    public string Id { get; } = $"router-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    private int _activeSessions;

    public int ActiveSessions => Volatile.Read(ref _activeSessions);

    public void SessionStarted() => Interlocked.Increment(ref _activeSessions);

    public void SessionEnded() => Interlocked.Decrement(ref _activeSessions);
}
