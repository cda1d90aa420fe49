using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.TestSupport.Platform;

/// <summary>
/// Every resource's console output in one file, one <c>time resource | line</c> per line (a test's console is not a
/// terminal, and a failing test prints the tail: <see cref="PlatformFixture.TailOfLog"/>).
/// </summary>
public sealed class ResourceLogFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public ResourceLogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Line(string resource, string line, bool isError = false)
    {
        lock (_gate) _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {resource,-16}| {(isError ? "ERROR " : "")}{line}");
    }

    /// <summary>
    /// Copies every resource's log stream here, and its state changes, until <paramref name="stop"/> is cancelled.
    /// Logs are keyed by DCP's resource id (the name plus a suffix), learnt from the resource notifications.
    /// </summary>
    public Task FollowAsync(ResourceNotificationService notifications, ResourceLoggerService logs, CancellationToken stop) => Task.Run(async () =>
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var followers = new List<Task>();
        try
        {
            await foreach (var update in notifications.WatchAsync(stop))
            {
                var name = update.Resource.Name;
                var state = $"{update.Snapshot.State?.Text} {update.Snapshot.HealthStatus}".Trim();
                if (!states.TryGetValue(update.ResourceId, out var previous))
                    followers.Add(FollowLogAsync(logs, update.ResourceId, name, stop));
                if (previous != state) Line(name, $"[state] {state}{(update.Snapshot.ExitCode is { } code ? $" (exit code {code})" : "")}");
                states[update.ResourceId] = state;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await Task.WhenAll(followers);
    }, CancellationToken.None);

    private Task FollowLogAsync(ResourceLoggerService logs, string resourceId, string name, CancellationToken stop) => Task.Run(async () =>
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stop))
                foreach (var line in batch) Line(name, line.Content, line.IsErrorMessage);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }, CancellationToken.None);

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}
