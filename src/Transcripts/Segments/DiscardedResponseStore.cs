using Npgsql;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Transcripts.Segments;

/// <summary>
/// Tombstones of client requests a later Router attempt answers again, and of the output items of responses the client
/// saw cut (<see cref="ResponsesDiscarded"/>): the assistant segments an earlier attempt recorded for them are deleted,
/// and one arriving after the tombstone is not stored.
/// Both paths take the session's transaction-scoped advisory lock, so a segment and its tombstone cannot pass each
/// other; the highest attempt to keep wins, so the order of events does not matter and a redelivery changes nothing.
/// </summary>
public sealed class DiscardedResponseStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records the tombstones and deletes the segments they void; returns how many were deleted.</summary>
    public async Task<int> DiscardAsync(ResponsesDiscarded discarded, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockSessionAsync(connection, transaction, discarded.TenantId, discarded.SessionId, cancellationToken);
        await using (var tombstones = new NpgsqlCommand("""
            INSERT INTO discarded_requests (tenant_id, session_id, request_seq, keep_attempt)
            SELECT @tenant, @session, seq, @keep FROM unnest(@seqs) AS seq
            ON CONFLICT (tenant_id, session_id, request_seq)
            DO UPDATE SET keep_attempt = GREATEST(discarded_requests.keep_attempt, EXCLUDED.keep_attempt)
            """, connection, transaction))
        {
            AddKey(tombstones, discarded.TenantId, discarded.SessionId);
            tombstones.Parameters.AddWithValue("seqs", discarded.RequestSeqs.ToArray());
            tombstones.Parameters.AddWithValue("keep", discarded.KeepAttempt);
            await tombstones.ExecuteNonQueryAsync(cancellationToken);
        }
        var items = discarded.ItemIds?.ToArray() ?? [];
        await using (var itemTombstones = new NpgsqlCommand("""
            INSERT INTO discarded_items (tenant_id, session_id, item_id, keep_attempt)
            SELECT @tenant, @session, item, @keep FROM unnest(@items) AS item
            ON CONFLICT (tenant_id, session_id, item_id)
            DO UPDATE SET keep_attempt = GREATEST(discarded_items.keep_attempt, EXCLUDED.keep_attempt)
            """, connection, transaction))
        {
            AddKey(itemTombstones, discarded.TenantId, discarded.SessionId);
            itemTombstones.Parameters.AddWithValue("items", items);
            itemTombstones.Parameters.AddWithValue("keep", discarded.KeepAttempt);
            await itemTombstones.ExecuteNonQueryAsync(cancellationToken);
        }
        int deleted;
        await using (var delete = new NpgsqlCommand("""
            DELETE FROM segments g
            WHERE g.tenant_id = @tenant AND g.session_id = @session AND g.role = 'assistant'
              AND (EXISTS (SELECT 1 FROM discarded_requests d
                           WHERE d.tenant_id = g.tenant_id AND d.session_id = g.session_id AND d.request_seq = g.request_seq
                             AND g.request_seq = ANY(@seqs) AND g.attempt < d.keep_attempt)
                OR EXISTS (SELECT 1 FROM discarded_items d
                           WHERE d.tenant_id = g.tenant_id AND d.session_id = g.session_id AND d.item_id = g.item_id
                             AND g.item_id = ANY(@items) AND g.attempt < d.keep_attempt))
            """, connection, transaction))
        {
            AddKey(delete, discarded.TenantId, discarded.SessionId);
            delete.Parameters.AddWithValue("seqs", discarded.RequestSeqs.ToArray());
            delete.Parameters.AddWithValue("items", items);
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Whether an assistant segment from <paramref name="attempt"/> is void: its request was asked again, or its item was
    /// the output of a response the client saw cut (call under <see cref="LockSessionAsync"/>).
    /// </summary>
    public static async Task<bool> IsDiscardedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        long? requestSeq, string itemId, long attempt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM discarded_requests
                           WHERE tenant_id = @tenant AND session_id = @session AND request_seq = @seq AND keep_attempt > @attempt)
                OR EXISTS (SELECT 1 FROM discarded_items
                           WHERE tenant_id = @tenant AND session_id = @session AND item_id = @item AND keep_attempt > @attempt)
            """, connection, transaction);
        AddKey(command, tenantId, sessionId);
        command.Parameters.Add(new NpgsqlParameter<long?>("seq", requestSeq));
        command.Parameters.AddWithValue("item", itemId);
        command.Parameters.AddWithValue("attempt", attempt);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Serialises a session's discards and attributable records until the transaction ends.</summary>
    public static async Task LockSessionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@tenant::text || '/' || @session, 0))",
            connection, transaction);
        AddKey(command, tenantId, sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, Guid tenantId, string sessionId)
    {
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
    }
}
