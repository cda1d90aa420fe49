using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.TestSupport.Platform;

/// <summary>
/// Every resource's console output in one file, one <c>time resource | line</c> per line (a test's console is not a
/// terminal, and a failing test prints the tail: <see cref="PlatformFixture.TailOfLog"/>). The lines are written by a
/// thread of their own: a log follower only queues its line. Written on the thread pool under a lock, a write the disk
/// held up (a platform boot's burst of writes) held every follower, and the pool's starved threads stalled the tests'
/// own realtime clients for seconds.
/// </summary>
public sealed class ResourceLogFile : IDisposable
{
    private readonly BlockingCollection<string> _lines = new();
    private readonly Thread _writer;

    public ResourceLogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new StreamWriter(path, append: true);
        _writer = new Thread(() => WriteAll(file)) { IsBackground = true, Name = "resource-log-file" };
        _writer.Start();
    }

    public void Line(string resource, string line, bool isError = false)
    {
        try
        {
            _lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {resource,-16}| {(isError ? "ERROR " : "")}{line}");
        }
        catch (InvalidOperationException)
        {
            // Disposed: a follower's last line after the platform stopped.
        }
    }

    private void WriteAll(StreamWriter file)
    {
        using (file)
        {
            foreach (var line in _lines.GetConsumingEnumerable())
            {
                file.WriteLine(line);
                // Flushed whenever the queue is empty: a test reading the file sees every line queued before.
                if (_lines.Count == 0) file.Flush();
            }
        }
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

    /// <summary>Writes what is queued, then closes the file.</summary>
    public void Dispose()
    {
        _lines.CompleteAdding();
        _writer.Join();
    }
}
