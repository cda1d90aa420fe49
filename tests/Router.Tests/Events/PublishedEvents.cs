using System.Collections.Concurrent;
using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>Every session event that reached the test's queue on the real RabbitMQ, in arrival order.</summary>
public sealed class PublishedEvents
{
    private readonly ConcurrentQueue<object> _received = new();

    public void Add(object message) => _received.Enqueue(message);

    /// <summary>The events of one session (other tests publish to the same exchanges).</summary>
    public IReadOnlyList<object> Of(string sessionId) => _received.Where(m => SessionOf(m) == sessionId).ToList();

    public async Task<IReadOnlyList<object>> WaitForAsync(string sessionId, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Of(sessionId).Count < count && DateTime.UtcNow < deadline) await Task.Delay(50);
        return Of(sessionId);
    }

    private static string? SessionOf(object m) => m switch
    {
        SessionStarted e => e.SessionId,
        TranscriptSegmentRecorded e => e.SessionId,
        UsageRecorded e => e.SessionId,
        SessionEnded e => e.SessionId,
        ResponsesDiscarded e => e.SessionId,
        _ => null,
    };
}

public sealed class PublishedEventsConsumer(PublishedEvents events) :
    IConsumer<SessionStarted>, IConsumer<TranscriptSegmentRecorded>, IConsumer<UsageRecorded>, IConsumer<SessionEnded>, IConsumer<ResponsesDiscarded>
{
    public Task Consume(ConsumeContext<SessionStarted> context) => Record(context.Message);
    public Task Consume(ConsumeContext<TranscriptSegmentRecorded> context) => Record(context.Message);
    public Task Consume(ConsumeContext<UsageRecorded> context) => Record(context.Message);
    public Task Consume(ConsumeContext<SessionEnded> context) => Record(context.Message);
    public Task Consume(ConsumeContext<ResponsesDiscarded> context) => Record(context.Message);

    private Task Record(object message)
    {
        events.Add(message);
        return Task.CompletedTask;
    }
}
