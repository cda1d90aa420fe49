using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VoicePlatform.Router.Events;

/// <summary>
/// Where the Router's session events go first: <see cref="Enqueue"/> never blocks (it is called from session loops),
/// and one writer loop appends the events in order to the Redis stream that <see cref="SpoolForwarder"/> drains to
/// the bus, so an event survives RabbitMQ being down or restarting. When Redis itself cannot take an event, it is
/// published to the bus directly instead (best effort; logged).
/// </summary>
public sealed class EventSpool(
    IConnectionMultiplexer redis,
    IBus bus,
    IOptions<EventSpoolOptions> options,
    EventSpoolMetrics metrics,
    ILogger<EventSpool> logger) : BackgroundService
{
    public const string TypeField = "type";
    public const string BodyField = "body";

    private readonly Channel<(object Message, TaskCompletionSource? Stored)> _pending =
        Channel.CreateUnbounded<(object, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _written = new(0);

    /// <summary>Queues a contract event for the spool. Safe from any thread; returns at once.</summary>
    public void Enqueue(object message)
    {
        if (!SpooledEventTypes.IsKnown(message.GetType()))
            throw new ArgumentException($"'{message.GetType().Name}' is not a spooled event type.", nameof(message));
        _pending.Writer.TryWrite((message, null));
    }

    /// <summary>Queues a contract event; the task completes once it is in the spool (or was published directly, or lost).</summary>
    public Task EnqueueStored(object message)
    {
        if (!SpooledEventTypes.IsKnown(message.GetType()))
            throw new ArgumentException($"'{message.GetType().Name}' is not a spooled event type.", nameof(message));
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((message, stored))) stored.TrySetResult();
        return stored.Task;
    }

    /// <summary>Bound on waiting for <see cref="EnqueueStored"/> before a session event goes on to the client.</summary>
    public TimeSpan StoreBeforeDeliveryTimeout => options.Value.StoreBeforeDeliveryTimeout;

    /// <summary>Completes when an entry was appended after the call (or after <paramref name="timeout"/>); wakes the forwarder early.</summary>
    internal async Task WaitForWriteAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _written.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On stop the loop still drains what was queued: sessions ending at shutdown publish their SessionEnded then.
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
                while (_pending.Reader.TryRead(out var entry))
                    await WriteAsync(entry.Message, entry.Stored);
        }
        catch (OperationCanceledException)
        {
        }
        while (_pending.Reader.TryRead(out var entry))
            await WriteAsync(entry.Message, entry.Stored);
    }

    private async Task WriteAsync(object message, TaskCompletionSource? stored)
    {
        try
        {
            await WriteAsync(message);
        }
        finally
        {
            stored?.TrySetResult();
        }
    }

    private async Task WriteAsync(object message)
    {
        var type = message.GetType();
        var body = JsonSerializer.Serialize(message, type);
        try
        {
            await redis.GetDatabase().StreamAddAsync(options.Value.StreamKey,
                [new NameValueEntry(TypeField, type.Name), new NameValueEntry(BodyField, body)]);
            metrics.Spooled(type.Name);
            _written.Release();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            metrics.Failed("spool_write");
            logger.LogWarning("Event spool unavailable ({Error}); publishing {Type} directly to the bus", e.Message, type.Name);
            await PublishDirectlyAsync(message, type);
        }
    }

    private async Task PublishDirectlyAsync(object message, Type type)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.PublishTimeout);
            await bus.Publish(message, type, timeout.Token);
            metrics.PublishedDirectly(type.Name);
        }
        catch (Exception e)
        {
            metrics.Failed("direct_publish");
            logger.LogError(e, "Lost {Type} event: neither the spool nor the bus took it", type.Name);
        }
    }
}
