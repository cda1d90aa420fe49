using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Segments;

/// <summary>Transcript segments, one row per segment id (redelivery is harmless), independent of the session row's arrival.</summary>
public sealed class SegmentStore(NpgsqlDataSource dataSource)
{
    /// <returns>false when the segment was already stored (redelivery).</returns>
    public async Task<bool> RecordAsync(TranscriptSegmentRecorded segment, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO segments (segment_id, tenant_id, session_id, item_id, role, text, start_ms, end_ms, model, truncated, recorded_at)
            VALUES (@segment, @tenant, @session, @item, @role, @text, @start, @end, @model, @truncated, @recorded)
            ON CONFLICT (segment_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("segment", segment.SegmentId);
        command.Parameters.AddWithValue("tenant", segment.TenantId);
        command.Parameters.AddWithValue("session", segment.SessionId);
        command.Parameters.AddWithValue("item", segment.ItemId);
        command.Parameters.AddWithValue("role", segment.Role);
        command.Parameters.AddWithValue("text", segment.Text);
        command.Parameters.AddWithValue("start", segment.StartOffsetMs);
        command.Parameters.AddWithValue("end", segment.EndOffsetMs);
        command.Parameters.AddWithValue("model", segment.Model);
        command.Parameters.AddWithValue("truncated", segment.TruncatedByBargeIn);
        command.Parameters.AddWithValue("recorded", segment.RecordedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A session's segments in timeline order (ties broken by arrival, then id, so the order is stable).</summary>
    public async Task<List<TranscriptSegment>> ListAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT segment_id, item_id, role, text, start_ms, end_ms, model, truncated FROM segments
            WHERE tenant_id = @tenant AND session_id = @session
            ORDER BY start_ms, end_ms, recorded_at, segment_id
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        var segments = new List<TranscriptSegment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(new TranscriptSegment
            {
                SegmentId = reader.GetGuid(0).ToString(),
                ItemId = reader.GetString(1),
                Role = reader.GetString(2),
                Text = reader.GetString(3),
                StartMs = reader.GetInt64(4),
                EndMs = reader.GetInt64(5),
                Model = reader.GetString(6),
                Truncated = reader.GetBoolean(7),
            });
        }
        return segments;
    }
}
