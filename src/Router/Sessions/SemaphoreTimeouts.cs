namespace VoicePlatform.Router.Sessions;

/// <summary>
/// <see cref="SemaphoreSlim"/> waits bounded on a <see cref="TimeProvider"/> (its own timeout overloads use the system
/// clock). Same semantics: a wait that times out leaves no waiter behind, so a later release is not swallowed.
/// </summary>
public static class SemaphoreTimeouts
{
    /// <summary>True when the semaphore was entered, false when <paramref name="timeout"/> passed on <paramref name="time"/> first.</summary>
    public static async Task<bool> WaitAsync(this SemaphoreSlim semaphore, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(semaphore);
        ArgumentNullException.ThrowIfNull(time);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await semaphore.WaitAsync(cancellationToken);
            return true;
        }
        if (timeout <= TimeSpan.Zero) return await semaphore.WaitAsync(0, cancellationToken);
        using var expiry = new CancellationTokenSource(timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            // A cancelled SemaphoreSlim wait removes its waiter, or completes as entered if a release won the race.
            await semaphore.WaitAsync(bounded.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
