using System.Collections.Concurrent;
using MassTransit;

namespace VoicePlatform.Insights.Tests;

/// <summary>
/// Counts the completed and faulted deliveries of the messages a test watches (<paramref name="isWatched"/>: one
/// session's events), so a test knows every copy of a redelivered event was consumed before it checks the counts.
/// </summary>
public sealed class DeliveryObserver(Func<object, bool> isWatched) : IConsumeObserver
{
    private int _consumed;

    public ConcurrentQueue<Exception> Faults { get; } = new();

    public async Task WaitForConsumedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _consumed) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {_consumed} of {count} deliveries consumed; faults: {string.Join("; ", Faults.Select(f => f.Message))}");
            await Task.Delay(50);
        }
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (isWatched(context.Message)) Interlocked.Increment(ref _consumed);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (isWatched(context.Message)) Faults.Enqueue(exception);
        return Task.CompletedTask;
    }
}
