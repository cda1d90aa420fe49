using System.Collections.Concurrent;
using MassTransit;

namespace VoicePlatform.Insights.Tests;

/// <summary>
/// Counts the completed and faulted deliveries of the messages a test watches (<paramref name="isWatched"/>: one
/// session's events), so a test knows every copy of a redelivered event was consumed before it checks the counts.
/// Waiting is on the deliveries themselves: each one signals the waiter.
/// </summary>
public sealed class DeliveryObserver(Func<object, bool> isWatched) : IConsumeObserver
{
    private readonly Lock _gate = new();
    private int _consumed;
    private (int Count, TaskCompletionSource Reached)? _waiter;

    public ConcurrentQueue<Exception> Faults { get; } = new();

    public async Task WaitForConsumedAsync(int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_consumed >= count) return;
            _waiter = (count, reached);
        }
        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Only {Volatile.Read(ref _consumed)} of {count} deliveries consumed; faults: {string.Join("; ", Faults.Select(f => f.Message))}");
        }
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (!isWatched(context.Message)) return Task.CompletedTask;
        lock (_gate)
        {
            _consumed++;
            if (_waiter is { } waiter && _consumed >= waiter.Count) waiter.Reached.TrySetResult();
        }
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (isWatched(context.Message)) Faults.Enqueue(exception);
        return Task.CompletedTask;
    }
}
