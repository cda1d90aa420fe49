using Microsoft.Extensions.Options;
using Npgsql;

namespace VoicePlatform.Insights.Retention;

/// <summary>
/// Deletes a tenant's insights once older than its retention: facts by their own time (a turn by when it settled, a
/// connection by when it opened, ...), sessions by their start (first event when the start never arrived), hourly
/// buckets by their hour. Runs every <see cref="InsightsRetentionOptions.Interval"/> on the injected clock, in batches;
/// safe with several replicas (a row deleted twice is just gone).
/// </summary>
public sealed class InsightsRetentionJob(
    NpgsqlDataSource dataSource, ITenantRetention retention, IOptions<InsightsRetentionOptions> options, TimeProvider clock,
    ILogger<InsightsRetentionJob> logger) : BackgroundService
{
    private static readonly (string Table, string TimeColumn, string Key)[] FactTables =
    [
        ("turns", "occurred_at", "event_id"),
        ("connections", "opened_at", "event_id"),
        ("client_tool_calls", "occurred_at", "event_id"),
        ("server_tool_calls", "invoked_at", "event_id"),
        ("continuity_events", "occurred_at", "event_id"),
        ("usage_costs", "occurred_at", "event_id"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                var swept = await RunOnceAsync(stoppingToken);
                if (swept.Sessions + swept.Facts + swept.Buckets > 0)
                    logger.LogInformation("Insights retention deleted {Sessions} sessions, {Facts} facts and {Buckets} buckets",
                        swept.Sessions, swept.Facts, swept.Buckets);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Insights retention run failed; retrying at the next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One full pass over every tenant with data, at the clock's current time.</summary>
    public async Task<InsightsRetentionSweep> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        long sessions = 0, facts = 0, buckets = 0;
        foreach (var tenantId in await TenantsAsync(cancellationToken))
        {
            if (await retention.GetDaysAsync(tenantId, cancellationToken) is not { } days) continue;
            var cutoff = now.AddDays(-days);
            foreach (var (table, timeColumn, key) in FactTables)
                facts += await DeleteAsync(table, key, $"{timeColumn} < @cutoff", tenantId, cutoff, cancellationToken);
            buckets += await DeleteBucketsAsync(tenantId, cutoff, cancellationToken);
            sessions += await DeleteAsync("sessions", "session_id", "COALESCE(started_at, first_seen_at) < @cutoff", tenantId, cutoff, cancellationToken);
        }
        return new InsightsRetentionSweep(sessions, facts, buckets);
    }

    private async Task<List<Guid>> TenantsAsync(CancellationToken cancellationToken)
    {
        var tenants = new List<Guid>();
        await using var command = dataSource.CreateCommand(
            "SELECT tenant_id FROM tenants");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(reader.GetGuid(0));
        return tenants;
    }

    private async Task<long> DeleteAsync(string table, string key, string expired, Guid tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE tenant_id = @tenant AND {expired} LIMIT @batch)");
            command.Parameters.AddWithValue("tenant", tenantId);
            command.Parameters.AddWithValue("cutoff", cutoff);
            command.Parameters.AddWithValue("batch", options.Value.BatchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < options.Value.BatchSize) return total;
        }
    }

    /// <summary>A bucket goes once its whole hour is past retention.</summary>
    private async Task<long> DeleteBucketsAsync(Guid tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM quality_buckets WHERE tenant_id = @tenant AND bucket_start + interval '1 hour' <= @cutoff");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
