using Npgsql;
using NpgsqlTypes;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Ledger;

/// <summary>The append-only ledger: one priced row per usage event (and one reversing row per voided one, see <see cref="UsageVoids"/>).</summary>
public sealed class UsageLedger(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Appends the event priced with <paramref name="price"/>, once. One from a Router attempt is checked against the
    /// session's tombstones first: if a later attempt answered its request again, or the client saw its response cut,
    /// the client never saw this one whole and it is not billed.
    /// </summary>
    public async Task<LedgerOutcome> AppendAsync(UsageRecorded usage, PriceVersion price, decimal cost, CancellationToken cancellationToken)
    {
        if (usage is not { Attempt: { } attempt })
        {
            await using var plain = dataSource.CreateCommand(InsertSql);
            AddParameters(plain, usage, price, cost);
            return await plain.ExecuteNonQueryAsync(cancellationToken) == 1 ? LedgerOutcome.Appended : LedgerOutcome.Duplicate;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UsageVoids.LockSessionAsync(connection, transaction, usage.TenantId, usage.SessionId, cancellationToken);
        if (await UsageVoids.IsDiscardedAsync(connection, transaction, usage.TenantId, usage.SessionId, usage.RequestSeq, usage.EventId, attempt, cancellationToken))
            return LedgerOutcome.Discarded;
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddParameters(command, usage, price, cost);
        var appended = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return appended ? LedgerOutcome.Appended : LedgerOutcome.Duplicate;
    }

    private const string InsertSql = """
        INSERT INTO usage_ledger (
            event_id, tenant_id, session_id, model, provider, occurred_at,
            input_audio_tokens, input_text_tokens, input_image_tokens,
            cached_input_audio_tokens, cached_input_text_tokens, cached_input_image_tokens,
            output_audio_tokens, output_text_tokens, connection_ms, price_version, cost_usd, request_seq, attempt)
        VALUES (@event, @tenant, @session, @model, @provider, @occurred,
            @in_audio, @in_text, @in_image, @cached_audio, @cached_text, @cached_image,
            @out_audio, @out_text, @connection_ms, @price_version, @cost, @request_seq, @attempt)
        ON CONFLICT (event_id) DO NOTHING
        """;

    private static void AddParameters(NpgsqlCommand command, UsageRecorded usage, PriceVersion price, decimal cost)
    {
        command.Parameters.AddWithValue("event", usage.EventId);
        command.Parameters.AddWithValue("tenant", usage.TenantId);
        command.Parameters.AddWithValue("session", usage.SessionId);
        command.Parameters.AddWithValue("model", usage.Model);
        command.Parameters.AddWithValue("provider", usage.Provider);
        command.Parameters.AddWithValue("occurred", usage.OccurredAt.ToUniversalTime());
        command.Parameters.AddWithValue("in_audio", usage.InputAudioTokens);
        command.Parameters.AddWithValue("in_text", usage.InputTextTokens);
        command.Parameters.AddWithValue("in_image", usage.InputImageTokens);
        command.Parameters.AddWithValue("cached_audio", usage.CachedInputAudioTokens);
        command.Parameters.AddWithValue("cached_text", usage.CachedInputTextTokens);
        command.Parameters.AddWithValue("cached_image", usage.CachedInputImageTokens);
        command.Parameters.AddWithValue("out_audio", usage.OutputAudioTokens);
        command.Parameters.AddWithValue("out_text", usage.OutputTextTokens);
        command.Parameters.AddWithValue("connection_ms", usage.ConnectionMilliseconds);
        command.Parameters.AddWithValue("price_version", price.Version);
        command.Parameters.Add(new NpgsqlParameter("cost", NpgsqlDbType.Numeric) { Value = cost });
        command.Parameters.Add(new NpgsqlParameter<long?>("request_seq", usage.RequestSeq));
        command.Parameters.Add(new NpgsqlParameter<long?>("attempt", usage.Attempt));
    }
}
