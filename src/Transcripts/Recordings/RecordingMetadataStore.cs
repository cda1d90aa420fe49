using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Recordings;

/// <summary>Recording metadata from <see cref="RecordingStored"/>, one row per WAV key (redelivery is harmless).</summary>
public sealed class RecordingMetadataStore(NpgsqlDataSource dataSource)
{
    /// <returns>false when the recording was already stored (redelivery or a recovered recording announced twice).</returns>
    public async Task<bool> RecordAsync(RecordingStored stored, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO recordings (key, event_id, tenant_id, session_id, size_bytes, duration_ms, sha256, sample_rate, channels, stored_at, started_at)
            VALUES (@key, @event, @tenant, @session, @size, @duration, @sha, @rate, @channels, @stored, @started)
            ON CONFLICT (key) DO NOTHING
            """);
        command.Parameters.AddWithValue("key", stored.Key);
        command.Parameters.AddWithValue("event", stored.EventId);
        command.Parameters.AddWithValue("tenant", stored.TenantId);
        command.Parameters.AddWithValue("session", stored.SessionId);
        command.Parameters.AddWithValue("size", stored.SizeBytes);
        command.Parameters.AddWithValue("duration", stored.DurationMs);
        command.Parameters.AddWithValue("sha", stored.Sha256);
        command.Parameters.AddWithValue("rate", stored.SampleRate);
        command.Parameters.AddWithValue("channels", stored.Channels);
        command.Parameters.AddWithValue("stored", stored.StoredAt);
        command.Parameters.AddWithValue("started", stored.StartedAt ?? stored.StoredAt - TimeSpan.FromMilliseconds(stored.DurationMs));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The session's recording: its segments in timeline order (more than one when it was resumed elsewhere), the first
    /// also in the top-level fields; null when there is none (also for another tenant's session).
    /// </summary>
    public async Task<RecordingInfo?> GetAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT key, size_bytes, duration_ms, sha256, sample_rate, channels, stored_at, started_at FROM recordings
            WHERE tenant_id = @tenant AND session_id = @session ORDER BY started_at, key
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        RecordingInfo? info = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var segment = new RecordingSegmentInfo
            {
                Key = reader.GetString(0),
                SizeBytes = reader.GetInt64(1),
                DurationMs = reader.GetInt64(2),
                Sha256 = reader.GetString(3),
                StartedAtUnixMs = reader.GetFieldValue<DateTimeOffset>(7).ToUnixTimeMilliseconds(),
            };
            info ??= new RecordingInfo
            {
                SessionId = sessionId,
                Key = segment.Key,
                SizeBytes = segment.SizeBytes,
                DurationMs = segment.DurationMs,
                Sha256 = segment.Sha256,
                SampleRate = reader.GetInt32(4),
                Channels = reader.GetInt32(5),
                StoredAtUnixMs = reader.GetFieldValue<DateTimeOffset>(6).ToUnixTimeMilliseconds(),
            };
            info.Segments.Add(segment);
        }
        return info;
    }
}
