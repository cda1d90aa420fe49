using Npgsql;

namespace VoicePlatform.Billing.Usage;

/// <summary>
/// Reads the ledger, always within one tenant. Sums are done by PostgreSQL on numeric: exact. A reversing row (voided
/// usage) nets out of every sum and of the event count.
/// </summary>
public sealed class UsageReader(NpgsqlDataSource dataSource)
{
    private const string Sums = """
        sum(u.input_audio_tokens)::bigint, sum(u.input_text_tokens)::bigint, sum(u.input_image_tokens)::bigint,
        sum(u.cached_input_audio_tokens)::bigint, sum(u.cached_input_text_tokens)::bigint, sum(u.cached_input_image_tokens)::bigint,
        sum(u.output_audio_tokens)::bigint, sum(u.output_text_tokens)::bigint,
        sum(u.connection_ms)::bigint, count(*) FILTER (WHERE u.reverses IS NULL) - count(*) FILTER (WHERE u.reverses IS NOT NULL),
        sum(u.cost_usd), count(DISTINCT u.session_id)
        """;

    /// <summary>
    /// Usage in [<paramref name="from"/>, <paramref name="to"/>) grouped as asked, ordered by key; with
    /// <paramref name="experimentId"/>, only the usage of the sessions that experiment placed. A session's experiment and
    /// arm come from its SessionStarted, joined here (not copied into the ledger), so usage recorded before that event
    /// arrived is grouped by its arm as soon as it has.
    /// </summary>
    public async Task<IReadOnlyList<UsageTotals>> GetUsageAsync(
        Guid tenantId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, string? experimentId, CancellationToken cancellationToken)
    {
        if (grouping == UsageGrouping.Arm && string.IsNullOrEmpty(experimentId))
            throw new ArgumentException("Grouping by arm needs an experiment: arm names only mean something within one.", nameof(experimentId));
        var key = grouping switch
        {
            UsageGrouping.Day => "to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            UsageGrouping.Model => "u.model",
            UsageGrouping.Session => "u.session_id",
            UsageGrouping.Arm => "coalesce(s.experiment_arm, '')",
            UsageGrouping.Route => "coalesce(s.route, '')",
            _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
        };
        await using var command = dataSource.CreateCommand($"""
            SELECT {key} AS key, {Sums}
            FROM usage_ledger u
            LEFT JOIN session_routing s ON s.tenant_id = u.tenant_id AND s.session_id = u.session_id
            WHERE u.tenant_id = @tenant AND u.occurred_at >= @from AND u.occurred_at < @to
              AND (@experiment::text IS NULL OR s.experiment_id = @experiment)
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter<string?>("experiment", string.IsNullOrEmpty(experimentId) ? null : experimentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UsageTotals>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(ReadTotals(reader, reader.GetString(0), 1));
        return rows;
    }

    /// <summary>The session's usage, or null if the tenant has none under that id (including another tenant's session).</summary>
    public async Task<SessionUsage?> GetSessionAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT array_agg(DISTINCT u.model ORDER BY u.model), min(u.occurred_at), max(u.occurred_at), {Sums}
            FROM usage_ledger u
            WHERE u.tenant_id = @tenant AND u.session_id = @session
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
        reader.GetDecimal(first + 10),
        reader.GetInt64(first + 11));
}
