using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.Recordings;

namespace VoicePlatform.Transcripts.Retention;

/// <summary>
/// Deletes sessions and their segments once they are older than their tenant's retention (by session start; a segment
/// whose session never arrived goes by its own recording time). Runs every <see cref="RetentionOptions.Interval"/>,
/// in batches; safe with several replicas (each batch deletes distinct rows, and a row deleted twice is just gone).
/// Recordings go by the same rule (their session's start, else when stored): their objects are deleted from the
/// recording store first, then the row, so a crash in between only repeats the file deletion. Without a recording
/// store (<c>Transcripts:Recordings:Directory</c>) recording rows are kept, so no file is ever orphaned.
/// </summary>
public sealed class RetentionJob(
    NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger,
    IRecordingStore? recordingStore = null) : BackgroundService
{
    private const string ExpiredRecordings = """
        SELECT r.key FROM recordings r
        LEFT JOIN sessions s ON s.session_id = r.session_id AND s.tenant_id = r.tenant_id
        LEFT JOIN retention_settings t ON t.tenant_id = r.tenant_id
        WHERE COALESCE(s.started_at, r.stored_at) < @now - make_interval(days => COALESCE(t.retention_days, @default_days))
        ORDER BY r.key LIMIT @batch
        """;

    // Segments first: were sessions deleted first, a crash between the two would leave segments dated only by recorded_at.
    private const string DeleteSegments = """
        DELETE FROM segments WHERE segment_id IN (
            SELECT g.segment_id FROM segments g
            LEFT JOIN sessions s ON s.session_id = g.session_id AND s.tenant_id = g.tenant_id
            LEFT JOIN retention_settings r ON r.tenant_id = g.tenant_id
            WHERE COALESCE(s.started_at, g.recorded_at) < @now - make_interval(days => COALESCE(r.retention_days, @default_days))
            LIMIT @batch)
        """;

    private const string DeleteTimings = """
        DELETE FROM item_timing WHERE (tenant_id, session_id, item_id) IN (
            SELECT p.tenant_id, p.session_id, p.item_id FROM item_timing p
            LEFT JOIN sessions s ON s.session_id = p.session_id AND s.tenant_id = p.tenant_id
            LEFT JOIN retention_settings r ON r.tenant_id = p.tenant_id
            WHERE COALESCE(s.started_at, p.recorded_at) < @now - make_interval(days => COALESCE(r.retention_days, @default_days))
            LIMIT @batch)
        """;

    private const string DeleteTombstones = """
        DELETE FROM discarded_requests WHERE (tenant_id, session_id, request_seq) IN (
            SELECT d.tenant_id, d.session_id, d.request_seq FROM discarded_requests d
            LEFT JOIN sessions s ON s.session_id = d.session_id AND s.tenant_id = d.tenant_id
            LEFT JOIN retention_settings r ON r.tenant_id = d.tenant_id
            WHERE COALESCE(s.started_at, d.discarded_at) < @now - make_interval(days => COALESCE(r.retention_days, @default_days))
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
                if (swept.Sessions + swept.Segments + swept.Recordings > 0)
                    logger.LogInformation("Retention deleted {Sessions} sessions, {Segments} segments and {Recordings} recordings",
                        swept.Sessions, swept.Segments, swept.Recordings);
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
        // Recordings first: they are dated by their session's start, which must still be there.
        var recordings = await DeleteRecordingsAsync(now, cancellationToken);
        var segments = await DeleteInBatchesAsync(DeleteSegments, now, cancellationToken);
        await DeleteInBatchesAsync(DeleteTimings, now, cancellationToken); // dated like segments, so before sessions
        await DeleteInBatchesAsync(DeleteTombstones, now, cancellationToken);
        var sessions = await DeleteInBatchesAsync(DeleteSessions, now, cancellationToken);
        return new RetentionSweep(sessions, segments, recordings);
    }

    private async Task<long> DeleteRecordingsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (recordingStore is null) return 0;
        long total = 0;
        while (true)
        {
            var keys = new List<string>();
            await using (var select = dataSource.CreateCommand(ExpiredRecordings))
            {
                select.Parameters.AddWithValue("now", now);
                select.Parameters.AddWithValue("default_days", options.Value.DefaultDays);
                select.Parameters.AddWithValue("batch", options.Value.BatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
            }
            foreach (var key in keys)
            {
                await DeleteRecordingObjectsAsync(recordingStore, key, cancellationToken);
                await using var delete = dataSource.CreateCommand("DELETE FROM recordings WHERE key = @key");
                delete.Parameters.AddWithValue("key", key);
                total += await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            if (keys.Count < options.Value.BatchSize) return total;
        }
    }

    /// <summary>
    /// The WAV and whatever else its recording left beside it (manifest, parts). Only that folder level: a resumed
    /// session's further segment lives one level down and goes with its own row.
    /// </summary>
    private static async Task DeleteRecordingObjectsAsync(IRecordingStore store, string wavKey, CancellationToken cancellationToken)
    {
        var prefix = wavKey[..(wavKey.LastIndexOf('/') + 1)];
        var objects = new List<string>();
        await foreach (var item in store.ListAsync(prefix, cancellationToken))
        {
            if (item.Key.IndexOf('/', prefix.Length) < 0) objects.Add(item.Key);
        }
        if (!objects.Contains(wavKey)) objects.Add(wavKey);
        foreach (var key in objects) await store.DeleteAsync(key, cancellationToken);
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
