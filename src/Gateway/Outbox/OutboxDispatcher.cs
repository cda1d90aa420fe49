using System.Text.Json;
using MassTransit;
using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Gateway.Outbox;

/// <summary>
/// Publishes outbox rows to the bus and marks them published. Delivery is at-least-once
/// (a crash between publish and mark republishes); consumers deduplicate by event id.
/// </summary>
public sealed class OutboxDispatcher(NpgsqlDataSource dataSource, IBus bus, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    // Only event types listed here can come out of the outbox: the payload type name is never trusted blindly.
    private static readonly Dictionary<string, Type> KnownTypes = new[]
        {
            typeof(TenantCreated), typeof(ApiKeyRevoked), typeof(RecordingStored),
            typeof(TurnMeasured), typeof(SessionMeasured), typeof(ToolCallMeasured), typeof(ContinuityEventRecorded),
        }
        .ToDictionary(t => t.FullName!, t => t);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private const int PurgeEveryPolls = 2_400; // about every 10 minutes
    private long _polls;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(stoppingToken) > 0) { }
                if (++_polls % PurgeEveryPolls == 0) await PurgePublishedAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox publish failed; will retry");
            }
            try { await Task.Delay(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>
    /// Published rows are kept a day for diagnosis, then deleted: quality events add one row per response, so the table
    /// must not grow with traffic.
    /// </summary>
    private async Task PurgePublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var purge = new NpgsqlCommand("DELETE FROM outbox WHERE published_at < now() - interval '1 day'", connection);
        var purged = await purge.ExecuteNonQueryAsync(cancellationToken);
        if (purged > 0) logger.LogInformation("Outbox: deleted {Count} rows published more than a day ago", purged);
    }

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, string Type, string Payload)>();
        // SKIP LOCKED lets several Gateway replicas drain the outbox without publishing the same row concurrently.
        await using (var select = new NpgsqlCommand(
            "SELECT id, message_type, payload::text FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT 50 FOR UPDATE SKIP LOCKED",
            connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }

        foreach (var (id, typeName, payload) in rows)
        {
            if (KnownTypes.TryGetValue(typeName, out var type))
            {
                var message = JsonSerializer.Deserialize(payload, type)!;
                await bus.Publish(message, type, cancellationToken);
            }
            else
            {
                logger.LogError("Outbox row {Id} has unknown type {Type}; skipping it", id, typeName);
            }
            await using var mark = new NpgsqlCommand("UPDATE outbox SET published_at = now() WHERE id = @id", connection, transaction);
            mark.Parameters.AddWithValue("id", id);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }
}
