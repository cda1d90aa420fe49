using Npgsql;

namespace VoicePlatform.Billing.Usage;

/// <summary>Reads the ledger, always within one tenant. Sums are done by PostgreSQL on numeric: exact.</summary>
public sealed class UsageReader(NpgsqlDataSource dataSource)
{
    private const string Sums = """
        sum(input_audio_tokens)::bigint, sum(input_text_tokens)::bigint, sum(input_image_tokens)::bigint,
        sum(cached_input_audio_tokens)::bigint, sum(cached_input_text_tokens)::bigint, sum(cached_input_image_tokens)::bigint,
        sum(output_audio_tokens)::bigint, sum(output_text_tokens)::bigint,
        sum(connection_ms)::bigint, count(*), sum(cost_usd)
        """;

    /// <summary>Usage in [<paramref name="from"/>, <paramref name="to"/>) grouped as asked, ordered by key.</summary>
    public async Task<IReadOnlyList<UsageTotals>> GetUsageAsync(
        Guid tenantId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken)
    {
        var key = grouping switch
        {
            UsageGrouping.Day => "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            UsageGrouping.Model => "model",
            UsageGrouping.Session => "session_id",
            _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
        };
        await using var command = dataSource.CreateCommand($"""
            SELECT {key} AS key, {Sums}
            FROM usage_ledger
            WHERE tenant_id = @tenant AND occurred_at >= @from AND occurred_at < @to
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UsageTotals>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(ReadTotals(reader, reader.GetString(0), 1));
        return rows;
    }

    /// <summary>The session's usage, or null if the tenant has none under that id (including another tenant's session).</summary>
    public async Task<SessionUsage?> GetSessionAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT array_agg(DISTINCT model ORDER BY model), min(occurred_at), max(occurred_at), {Sums}
            FROM usage_ledger
            WHERE tenant_id = @tenant AND session_id = @session
            HAVING count(*) > 0
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SessionUsage(
            sessionId,
            reader.GetFieldValue<string[]>(0),
            ReadTotals(reader, sessionId, 3),
            reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetFieldValue<DateTimeOffset>(2));
    }

    private static UsageTotals ReadTotals(NpgsqlDataReader reader, string key, int first) => new(
        key,
        new TokenTotals(
            reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2),
            reader.GetInt64(first + 3), reader.GetInt64(first + 4), reader.GetInt64(first + 5),
            reader.GetInt64(first + 6), reader.GetInt64(first + 7)),
        reader.GetInt64(first + 8),
        reader.GetInt64(first + 9),
        reader.GetDecimal(first + 10));
}
