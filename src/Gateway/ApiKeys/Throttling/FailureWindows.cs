using System.Collections.Concurrent;

namespace VoicePlatform.Gateway.ApiKeys.Throttling;

/// <summary>
/// Fixed windows of failures per partition: a window opens at a partition's first failure and counts until it ends.
/// Time comes from the caller (a <see cref="TimeProvider"/>), which System.Threading.RateLimiting's windows do not take.
/// </summary>
public sealed class FailureWindows(int maxPartitions)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Failures;
    }

    public int Count => _windows.Count;

    /// <summary>How long <paramref name="partition"/> stays refused, or null when it may try.</summary>
    public TimeSpan? RefusedFor(string partition, int limit, TimeSpan length, DateTimeOffset now)
    {
        if (!_windows.TryGetValue(partition, out var window)) return null;
        lock (window)
        {
            var end = window.Start + length;
            return window.Failures >= limit && now < end ? end - now : null;
        }
    }

    /// <summary>Counts a failure; returns the failures in the partition's current window.</summary>
    public int Record(string partition, TimeSpan length, DateTimeOffset now)
    {
        if (_windows.Count >= maxPartitions) Prune(length, now);
        var window = _windows.GetOrAdd(partition, _ => new Window(now));
        lock (window)
        {
            if (now >= window.Start + length)
            {
                window.Start = now;
                window.Failures = 0;
            }
            return ++window.Failures;
        }
    }

    private void Prune(TimeSpan length, DateTimeOffset now)
    {
        foreach (var (partition, window) in _windows)
        {
            bool ended;
            lock (window) ended = now >= window.Start + length;
            if (ended) _windows.TryRemove(partition, out _);
        }
        // Still full of live windows: a spray larger than the bound. Forgetting them all is the bounded-memory choice.
        if (_windows.Count >= maxPartitions) _windows.Clear();
    }
}
