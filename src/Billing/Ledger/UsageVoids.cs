using Npgsql;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// Voids the usage of responses the client never saw (<see cref="ResponsesDiscarded"/>): a tombstone per (session,
/// request), and per usage event of a response the client saw cut, keeps the highest attempt to keep, and every
/// ledger row they name from a lower attempt gets a
/// reversing row (amounts negated, same occurred_at and price version, id derived from the reversed row's), so the
/// ledger stays append-only and every sum over it nets the voided usage out. A usage row arriving after its tombstone
/// is not appended (<see cref="UsageLedger.AppendAsync"/>). Both paths take the session's transaction-scoped advisory
/// lock, so a row and its tombstone cannot pass each other. Idempotent and order-independent.
/// </summary>
public sealed class UsageVoids(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// A reversing row: its id, the (negative) cost, for <see cref="UsagePriced"/>; <paramref name="AppendedNow"/> when
    /// this call appended it (not an earlier delivery of the same discard), for the metrics.
    /// </summary>
    public sealed record Reversal(Guid EventId, decimal CostUsd, DateTimeOffset OccurredAt, string Model, string Provider, bool AppendedNow);

    /// <summary>Records the tombstones and reverses the rows they void; returns every reversal of those requests (also earlier ones, for a redelivery).</summary>
    public async Task<IReadOnlyList<Reversal>> VoidAsync(ResponsesDiscarded discarded, CancellationToken cancellationToken)
    {
        var seqs = discarded.RequestSeqs.ToArray();
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
            AddKey(tombstones, discarded.TenantId, discarded.SessionId, seqs);
            tombstones.Parameters.AddWithValue("keep", discarded.KeepAttempt);
            await tombstones.ExecuteNonQueryAsync(cancellationToken);
        }

        // A cut response's usage is known by its event id, derived from the session and the response id as the Router derives it.
        var events = (discarded.ResponseIds ?? []).Select(id => EventIds.For(discarded.SessionId, id, "usage")).ToArray();
        await using (var eventTombstones = new NpgsqlCommand("""
            INSERT INTO discarded_usage (tenant_id, session_id, event_id, keep_attempt)
            SELECT @tenant, @session, event, @keep FROM unnest(@events) AS event
            ON CONFLICT (tenant_id, session_id, event_id)
            DO UPDATE SET keep_attempt = GREATEST(discarded_usage.keep_attempt, EXCLUDED.keep_attempt)
            """, connection, transaction))
        {
            AddKey(eventTombstones, discarded.TenantId, discarded.SessionId, seqs);
            eventTombstones.Parameters.AddWithValue("events", events);
            eventTombstones.Parameters.AddWithValue("keep", discarded.KeepAttempt);
            await eventTombstones.ExecuteNonQueryAsync(cancellationToken);
        }

        var voided = new List<Guid>();
        await using (var select = new NpgsqlCommand("""
            SELECT u.event_id FROM usage_ledger u
            WHERE u.tenant_id = @tenant AND u.session_id = @session AND u.reverses IS NULL
              AND (EXISTS (SELECT 1 FROM discarded_requests d
                           WHERE d.tenant_id = u.tenant_id AND d.session_id = u.session_id AND d.request_seq = u.request_seq
                             AND u.request_seq = ANY(@seqs) AND u.attempt < d.keep_attempt)
                OR EXISTS (SELECT 1 FROM discarded_usage d
                           WHERE d.tenant_id = u.tenant_id AND d.session_id = u.session_id AND d.event_id = u.event_id
                             AND u.event_id = ANY(@events) AND u.attempt < d.keep_attempt))
              AND NOT EXISTS (SELECT 1 FROM usage_ledger r WHERE r.reverses = u.event_id)
            """, connection, transaction))
        {
            AddKey(select, discarded.TenantId, discarded.SessionId, seqs);
            select.Parameters.AddWithValue("events", events);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) voided.Add(reader.GetGuid(0));
        }
        var appended = new HashSet<Guid>();
        foreach (var original in voided)
        {
            await using var reverse = new NpgsqlCommand("""
                INSERT INTO usage_ledger (
                    event_id, tenant_id, session_id, model, provider, occurred_at,
                    input_audio_tokens, input_text_tokens, input_image_tokens,
                    cached_input_audio_tokens, cached_input_text_tokens, cached_input_image_tokens,
                    output_audio_tokens, output_text_tokens, connection_ms, price_version, cost_usd, request_seq, attempt, reverses)
                SELECT @reversal, tenant_id, session_id, model, provider, occurred_at,
                    -input_audio_tokens, -input_text_tokens, -input_image_tokens,
                    -cached_input_audio_tokens, -cached_input_text_tokens, -cached_input_image_tokens,
                    -output_audio_tokens, -output_text_tokens, -connection_ms, price_version, -cost_usd, request_seq, attempt, event_id
                FROM usage_ledger WHERE event_id = @original
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            reverse.Parameters.AddWithValue("reversal", ReversalId(original));
            reverse.Parameters.AddWithValue("original", original);
            if (await reverse.ExecuteNonQueryAsync(cancellationToken) == 1) appended.Add(ReversalId(original));
        }

        var reversals = new List<Reversal>();
        await using (var all = new NpgsqlCommand("""
            SELECT event_id, cost_usd, occurred_at, model, provider FROM usage_ledger
            WHERE tenant_id = @tenant AND session_id = @session AND reverses IS NOT NULL
              AND (request_seq = ANY(@seqs) OR reverses = ANY(@events))
            """, connection, transaction))
        {
            AddKey(all, discarded.TenantId, discarded.SessionId, seqs);
            all.Parameters.AddWithValue("events", events);
            await using var reader = await all.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                reversals.Add(new Reversal(id, reader.GetDecimal(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4),
                    appended.Contains(id)));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return reversals;
    }

    /// <summary>The id of the row reversing <paramref name="usageEventId"/>: derived, so a redelivered discard reverses it once.</summary>
    public static Guid ReversalId(Guid usageEventId) => EventIds.For("usage-void", usageEventId.ToString());

    /// <summary>
    /// Whether usage from <paramref name="attempt"/> is void: its request was asked again, or the client saw its
    /// response cut (call under <see cref="LockSessionAsync"/>).
    /// </summary>
    public static async Task<bool> IsDiscardedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        long? requestSeq, Guid eventId, long attempt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM discarded_requests
                           WHERE tenant_id = @tenant AND session_id = @session AND request_seq = @seq AND keep_attempt > @attempt)
                OR EXISTS (SELECT 1 FROM discarded_usage
                           WHERE tenant_id = @tenant AND session_id = @session AND event_id = @event AND keep_attempt > @attempt)
            """, connection, transaction);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        command.Parameters.Add(new NpgsqlParameter<long?>("seq", requestSeq));
        command.Parameters.AddWithValue("event", eventId);
        command.Parameters.AddWithValue("attempt", attempt);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Serialises a session's voids and attributable usage until the transaction ends.</summary>
    public static async Task LockSessionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@tenant::text || '/' || @session, 0))",
            connection, transaction);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, Guid tenantId, string sessionId, long[] seqs)
    {
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        command.Parameters.AddWithValue("seqs", seqs);
    }
}
