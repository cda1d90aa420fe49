using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Segments;

/// <summary>Transcript segments, one row per segment id (redelivery is harmless), independent of the session row's arrival.</summary>
public sealed class SegmentStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores the segment once. An assistant segment from a Router attempt is checked against the session's tombstones
    /// first: a later attempt answered its request again, or the client saw its response cut, so it is not what the
    /// client saw.
    /// </summary>
    public async Task<SegmentOutcome> RecordAsync(TranscriptSegmentRecorded segment, CancellationToken cancellationToken)
    {
        if (segment is not { Role: "assistant", Attempt: { } attempt })
        {
            await using var plain = dataSource.CreateCommand(InsertSql);
            AddParameters(plain, segment);
            return await plain.ExecuteNonQueryAsync(cancellationToken) == 1 ? SegmentOutcome.Stored : SegmentOutcome.Duplicate;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await DiscardedResponseStore.LockSessionAsync(connection, transaction, segment.TenantId, segment.SessionId, cancellationToken);
        if (await DiscardedResponseStore.IsDiscardedAsync(connection, transaction, segment.TenantId, segment.SessionId, segment.RequestSeq,
                segment.ItemId, attempt, cancellationToken))
            return SegmentOutcome.Discarded;
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddParameters(command, segment);
        var stored = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return stored ? SegmentOutcome.Stored : SegmentOutcome.Duplicate;
    }

    private const string InsertSql = """
        INSERT INTO segments (segment_id, tenant_id, session_id, item_id, role, text, start_ms, end_ms, model, truncated, recorded_at,
                              request_seq, attempt)
        VALUES (@segment, @tenant, @session, @item, @role, @text, @start, @end, @model, @truncated, @recorded, @request_seq, @attempt)
        ON CONFLICT (segment_id) DO NOTHING
        """;

    private static void AddParameters(NpgsqlCommand command, TranscriptSegmentRecorded segment)
    {
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
        command.Parameters.Add(new NpgsqlParameter<long?>("request_seq", segment.RequestSeq));
        command.Parameters.Add(new NpgsqlParameter<long?>("attempt", segment.Attempt));
    }

    /// <summary>
    /// A session's segments in conversation order: by the Router's timeline, on which every segment is stamped as its
    /// events happened (ties broken by arrival, then id, so the order is stable). The times shown are aligned: once the
    /// Gateway has reported timings, segments are on the client's timeline (zero: the session's first client
    /// connection): an assistant segment spans the time its audio played (cut at barge-in, which also marks it
    /// truncated), a user segment the time its speech was sent. A segment without a timing of its own (stamped by the
    /// Router on its timeline) is shifted by how much later the Router's session started than that connection. Without
    /// any timing, the Router's timeline is kept as it is. Ordering by the aligned times instead would depend on which
    /// timings have arrived (the Gateway reports them separately), so a transcript read early could reorder later.
    /// </summary>
    public async Task<List<TranscriptSegment>> ListAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH timeline AS (
                SELECT min(connection_opened_at) AS zero FROM item_timing WHERE tenant_id = @tenant AND session_id = @session
            ), aligned AS (
                SELECT g.segment_id, g.item_id, g.role, g.text, g.model, g.recorded_at, g.start_ms AS router_start_ms, g.end_ms AS router_end_ms,
                       g.truncated OR COALESCE(p.truncated, false) AS truncated,
                       CASE WHEN p.item_id IS NOT NULL THEN p.start_ms + (extract(epoch FROM p.connection_opened_at - t.zero) * 1000)::bigint
                            WHEN t.zero IS NOT NULL AND s.started_at IS NOT NULL THEN g.start_ms + GREATEST(0, (extract(epoch FROM s.started_at - t.zero) * 1000)::bigint)
                            ELSE g.start_ms END AS start_ms,
                       CASE WHEN p.item_id IS NOT NULL THEN p.end_ms + (extract(epoch FROM p.connection_opened_at - t.zero) * 1000)::bigint
                            WHEN t.zero IS NOT NULL AND s.started_at IS NOT NULL THEN g.end_ms + GREATEST(0, (extract(epoch FROM s.started_at - t.zero) * 1000)::bigint)
                            ELSE g.end_ms END AS end_ms
                FROM segments g
                CROSS JOIN timeline t
                LEFT JOIN item_timing p ON p.tenant_id = g.tenant_id AND p.session_id = g.session_id AND p.item_id = g.item_id
                LEFT JOIN sessions s ON s.tenant_id = g.tenant_id AND s.session_id = g.session_id
                WHERE g.tenant_id = @tenant AND g.session_id = @session
            )
            SELECT segment_id, item_id, role, text, start_ms, end_ms, model, truncated FROM aligned
            ORDER BY router_start_ms, router_end_ms, recorded_at, segment_id
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
