using System.Collections.Concurrent;
using MassTransit;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// Counts the completed and faulted deliveries of the <typeparamref name="TMessage"/> messages a test watches
/// (<paramref name="isWatched"/>: one event id, one tenant's events), so a test sees duplicates consumed as successes.
/// </summary>
public sealed class DeliveryObserver<TMessage>(Func<TMessage, bool> isWatched) : IConsumeObserver where TMessage : class
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
        if (context.Message is TMessage message && isWatched(message)) Interlocked.Increment(ref _consumed);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.Message is TMessage message && isWatched(message)) Faults.Enqueue(exception);
        return Task.CompletedTask;
    }
}
