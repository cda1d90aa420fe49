using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VoicePlatform.Router.Events;

/// <summary>
/// Drains the spool stream to the bus. All Routers read it through one consumer group, so each entry goes out through
/// one of them; an entry is acknowledged and deleted only after its publish succeeded, and a failed publish stops the
/// round (retried from the same entry), which keeps the order. Entries left pending by a dead Router are claimed
/// (XAUTOCLAIM) once idle for <see cref="EventSpoolOptions.ClaimIdleTime"/>. Delivery is at least once: consumers
/// deduplicate by event id.
/// </summary>
public sealed class SpoolForwarder(
    IConnectionMultiplexer redis,
    IBus bus,
    EventSpool spool,
    IOptions<EventSpoolOptions> options,
    EventSpoolMetrics metrics,
    ILogger<SpoolForwarder> logger,
    string consumerName) : BackgroundService
{
    private static readonly TimeSpan ClaimInterval = TimeSpan.FromSeconds(5);
    private bool _groupReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var nextClaim = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            var forwarded = false;
            try
            {
                var db = redis.GetDatabase();
                await EnsureGroupAsync(db);
                if (DateTime.UtcNow >= nextClaim)
                {
                    nextClaim = DateTime.UtcNow + ClaimInterval;
                    await ClaimAbandonedAsync(db);
                    metrics.SpoolLength(await db.StreamLengthAsync(o.StreamKey));
                }
                // Own pending entries first (a failed publish, or entries just claimed), then new ones.
                var entries = await db.StreamReadGroupAsync(o.StreamKey, o.ConsumerGroup, consumerName, "0", o.BatchSize);
                if (entries.Length == 0)
                    entries = await db.StreamReadGroupAsync(o.StreamKey, o.ConsumerGroup, consumerName, ">", o.BatchSize);
                foreach (var entry in entries)
                {
                    if (!await ForwardAsync(db, entry, stoppingToken))
                    {
                        await Task.Delay(o.RetryDelay, stoppingToken);
                        break;
                    }
                    forwarded = true;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _groupReady = false;
                metrics.Failed("spool_read");
                logger.LogWarning("Event spool unreadable ({Error}); retrying", e.Message);
                await DelayAsync(o.RetryDelay, stoppingToken);
                continue;
            }
            if (!forwarded) await spool.WaitForWriteAsync(o.RetryDelay, stoppingToken);
        }
    }

    /// <summary>Publishes one entry; false when the bus failed (the entry stays pending here for the next round).</summary>
    private async Task<bool> ForwardAsync(IDatabase db, StreamEntry entry, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var typeName = (string?)entry[EventSpool.TypeField];
        var body = (string?)entry[EventSpool.BodyField];
        object? message = null;
        if (typeName is not null && body is not null && SpooledEventTypes.TryResolve(typeName, out var type))
        {
            try
            {
                message = JsonSerializer.Deserialize(body, type);
            }
            catch (JsonException)
            {
            }
        }
        if (message is null)
        {
            // Would fail forever and block the spool behind it: drop it, loudly.
            metrics.Failed("poison");
            logger.LogError("Dropping unreadable spool entry {Id} ({Type})", entry.Id, typeName);
            await RemoveAsync(db, entry.Id);
            return true;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(o.PublishTimeout);
            await bus.Publish(message, message.GetType(), timeout.Token);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            metrics.Failed("publish");
            logger.LogWarning("Publishing spooled {Type} failed ({Error}); it stays in the spool", typeName, e.Message);
            return false;
        }
        await RemoveAsync(db, entry.Id);
        metrics.Forwarded(typeName!);
        return true;
    }

    private async Task RemoveAsync(IDatabase db, RedisValue id)
    {
        var o = options.Value;
        await db.StreamAcknowledgeAsync(o.StreamKey, o.ConsumerGroup, id);
        await db.StreamDeleteAsync(o.StreamKey, [id]);
    }

    private async Task ClaimAbandonedAsync(IDatabase db)
    {
        var o = options.Value;
        var claimed = await db.StreamAutoClaimIdsOnlyAsync(o.StreamKey, o.ConsumerGroup, consumerName,
            (long)o.ClaimIdleTime.TotalMilliseconds, "0-0", o.BatchSize);
        if (claimed.ClaimedIds.Length > 0)
            logger.LogInformation("Claimed {Count} spooled events abandoned by another Router", claimed.ClaimedIds.Length);
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        if (_groupReady) return;
        var o = options.Value;
        try
        {
            await db.StreamCreateConsumerGroupAsync(o.StreamKey, o.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
        _groupReady = true;
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
