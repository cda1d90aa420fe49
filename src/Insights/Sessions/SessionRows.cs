using Npgsql;
using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Insights.Sessions;

/// <summary>
/// The session row every ingest transaction goes through first. It takes the session's transaction-scoped advisory
/// lock, so the facts of one session are applied one at a time whatever the number of consumers (the order-dependent
/// decisions — first connection, superseded tool records, pending aggregation — never race), and opens the row if no
/// event named the session before. Its dimensions come from the first event that carries them; server tool calls that
/// arrived before them are counted into the buckets when they become known.
/// </summary>
public sealed class SessionRows(BucketWriter buckets)
{
    /// <returns>The session's dimensions as now known (null while none arrived), or <see cref="SessionAccess.OtherTenant"/>.</returns>
    public async Task<SessionAccess> OpenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        DateTimeOffset seenAt, Dimensions? dimensions, CancellationToken cancellationToken)
    {
        await using (var lockSession = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@s, 0))", connection, transaction))
        {
            lockSession.Parameters.AddWithValue("s", sessionId);
            await lockSession.ExecuteNonQueryAsync(cancellationToken);
        }

        Guid? owner = null;
        Dimensions? known = null;
        await using (var select = new NpgsqlCommand(
            "SELECT tenant_id, model, provider, route, experiment_id, experiment_arm FROM sessions WHERE session_id = @s", connection, transaction))
        {
            select.Parameters.AddWithValue("s", sessionId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                owner = reader.GetGuid(0);
                if (!reader.IsDBNull(1))
                    known = new Dimensions(reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), NullableString(reader, 5));
            }
        }
        if (owner is { } existing && existing != tenantId) return SessionAccess.OtherTenant;
        if (known is not null) return new SessionAccess(true, known);

        await using (var write = new NpgsqlCommand(owner is null
            ? """
              INSERT INTO sessions (session_id, tenant_id, model, provider, route, experiment_id, experiment_arm, first_seen_at)
              VALUES (@s, @tenant, @model, @provider, @route, @experiment, @arm, @seen)
              """
            : """
              UPDATE sessions SET model = @model, provider = @provider, route = @route, experiment_id = @experiment, experiment_arm = @arm,
                  first_seen_at = LEAST(first_seen_at, @seen)
              WHERE session_id = @s
              """, connection, transaction))
        {
            write.Parameters.AddWithValue("s", sessionId);
            write.Parameters.AddWithValue("tenant", tenantId);
            AddDimensions(write.Parameters, dimensions);
            write.Parameters.AddWithValue("seen", seenAt);
            if (owner is null || dimensions is not null) await write.ExecuteNonQueryAsync(cancellationToken);
        }
        if (owner is null)
        {
            await using var tenant = new NpgsqlCommand("INSERT INTO tenants (tenant_id) VALUES (@tenant) ON CONFLICT DO NOTHING", connection, transaction);
            tenant.Parameters.AddWithValue("tenant", tenantId);
            await tenant.ExecuteNonQueryAsync(cancellationToken);
        }
        if (dimensions is not null) await AggregatePendingToolCallsAsync(connection, transaction, tenantId, sessionId, dimensions, cancellationToken);
        return new SessionAccess(true, dimensions);
    }

    /// <summary>SessionStarted's dimensions are the Router's record of the routing: they replace any the Gateway gave first.</summary>
    public static void AddDimensions(NpgsqlParameterCollection parameters, Dimensions? d)
    {
        parameters.Add(new NpgsqlParameter<string?>("model", d?.Model));
        parameters.Add(new NpgsqlParameter<string?>("provider", d?.Provider));
        parameters.Add(new NpgsqlParameter<string?>("route", d?.Route));
        parameters.Add(new NpgsqlParameter<string?>("experiment", d?.ExperimentId));
        parameters.Add(new NpgsqlParameter<string?>("arm", d?.ExperimentArm));
    }

    private async Task AggregatePendingToolCallsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, string sessionId,
        Dimensions dimensions, CancellationToken cancellationToken)
    {
        var pending = new List<(Guid EventId, string Outcome, long LatencyMs, DateTimeOffset InvokedAt)>();
        await using (var select = new NpgsqlCommand(
            "SELECT event_id, outcome, latency_ms, invoked_at FROM server_tool_calls WHERE session_id = @s AND NOT aggregated ORDER BY invoked_at",
            connection, transaction))
        {
            select.Parameters.AddWithValue("s", sessionId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                pending.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        foreach (var call in pending)
        {
            await buckets.AddAsync(connection, transaction, tenantId, call.InvokedAt, dimensions, ToolDeltas.Call(call.Outcome, call.LatencyMs), cancellationToken);
            await using var mark = new NpgsqlCommand("UPDATE server_tool_calls SET aggregated = true WHERE event_id = @e", connection, transaction);
            mark.Parameters.AddWithValue("e", call.EventId);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
