using Microsoft.Extensions.Options;
using Npgsql;

namespace VoicePlatform.Transcripts.Retention;

/// <summary>
/// Deletes sessions and their segments once they are older than their tenant's retention (by session start; a segment
/// whose session never arrived goes by its own recording time). Runs every <see cref="RetentionOptions.Interval"/>,
/// in batches; safe with several replicas (each batch deletes distinct rows, and a row deleted twice is just gone).
/// </summary>
public sealed class RetentionJob(
    NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    // Segments first: were sessions deleted first, a crash between the two would leave segments dated only by recorded_at.
    private const string DeleteSegments = """
        DELETE FROM segments WHERE segment_id IN (
            SELECT g.segment_id FROM segments g
            LEFT JOIN sessions s ON s.session_id = g.session_id AND s.tenant_id = g.tenant_id
            LEFT JOIN retention_settings r ON r.tenant_id = g.tenant_id
            WHERE COALESCE(s.started_at, g.recorded_at) < @now - make_interval(days => COALESCE(r.retention_days, @default_days))
            LIMIT @batch)
        """;

    private const string DeleteSessions = """
        DELETE FROM sessions WHERE session_id IN (
            SELECT s.session_id FROM sessions s
            LEFT JOIN retention_settings r ON r.tenant_id = s.tenant_id
            WHERE s.started_at < @now - make_interval(days => COALESCE(r.retention_days, @default_days))
            LIMIT @batch)
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                var swept = await RunOnceAsync(stoppingToken);
                if (swept.Sessions + swept.Segments > 0)
                    logger.LogInformation("Retention deleted {Sessions} sessions and {Segments} segments", swept.Sessions, swept.Segments);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Retention run failed; retrying at the next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One full pass: deletes everything past retention at the clock's current time.</summary>
    public async Task<RetentionSweep> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var segments = await DeleteInBatchesAsync(DeleteSegments, now, cancellationToken);
        var sessions = await DeleteInBatchesAsync(DeleteSessions, now, cancellationToken);
        return new RetentionSweep(sessions, segments);
    }

    private async Task<long> DeleteInBatchesAsync(string sql, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("default_days", options.Value.DefaultDays);
            command.Parameters.AddWithValue("batch", options.Value.BatchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < options.Value.BatchSize) return total;
        }
    }
}
