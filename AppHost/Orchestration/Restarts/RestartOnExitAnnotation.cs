using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration.Restarts;

/// <summary>
/// Marks a long-running resource that <see cref="ExitedResourceRestarter"/> starts again when its process exits on its
/// own (a crash, a kill, a drain after SIGTERM), at most <see cref="MaxRestarts"/> times in one run, so a service that
/// keeps crashing ends up Exited in the dashboard rather than spinning.
/// </summary>
public sealed class RestartOnExitAnnotation(int maxRestarts) : IResourceAnnotation
{
    private int _restarts;

    /// <summary>Raised by fault tests that kill a resource again and again.</summary>
    public int MaxRestarts { get; set; } = maxRestarts;

    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Takes one restart from the budget; false when it is spent.</summary>
    public bool TryTakeRestart()
    {
        while (true)
        {
            var current = Volatile.Read(ref _restarts);
            if (current >= MaxRestarts) return false;
            if (Interlocked.CompareExchange(ref _restarts, current + 1, current) == current) return true;
        }
    }
}
