using System.Collections.Concurrent;
using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Tests;

/// <summary>Counts completed and faulted deliveries of one usage event id.</summary>
public sealed class UsageConsumeObserver(Guid eventId) : IConsumeObserver
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
        if (context.Message is UsageRecorded usage && usage.EventId == eventId) Interlocked.Increment(ref _consumed);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.Message is UsageRecorded usage && usage.EventId == eventId) Faults.Enqueue(exception);
        return Task.CompletedTask;
    }
}
