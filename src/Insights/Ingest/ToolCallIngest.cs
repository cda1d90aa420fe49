using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Sessions;

namespace VoicePlatform.Insights.Ingest;

/// <summary>
/// Tool calls from both sides: the Gateway's <see cref="ToolCallMeasured"/> (client-executed) and the Tools service's
/// <see cref="ToolInvoked"/> (server-executed). The Gateway also reports a server call, as "unanswered" (no client output
/// came): whichever of the two arrives second, the call is counted once, as the server's.
/// </summary>
public sealed class ToolCallIngest(NpgsqlDataSource dataSource, SessionRows sessions, BucketWriter buckets)
{
    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordClientCallAsync(ToolCallMeasured call, CancellationToken cancellationToken)
    {
        var dimensions = Dimensions.From(call.Dimensions);
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, call.TenantId, call.SessionId, call.OccurredAt, dimensions, cancellationToken);
        if (!access.Allowed) return false;

        var superseded = call.Outcome == ToolDeltas.Unanswered && await HasServerCallAsync(tx, call.SessionId, call.CallId, cancellationToken);
        await using (var insert = tx.Command("""
            INSERT INTO client_tool_calls (event_id, tenant_id, session_id, call_id, tool_name, outcome, latency_ms, occurred_at,
                model, provider, route, experiment_id, experiment_arm, superseded)
            VALUES (@event, @tenant, @session, @call, @tool, @outcome, @latency, @occurred, @model, @provider, @route, @experiment, @arm, @superseded)
            ON CONFLICT (event_id) DO NOTHING
            """))
        {
            var p = insert.Parameters;
            p.AddWithValue("event", call.EventId);
            p.AddWithValue("tenant", call.TenantId);
            p.AddWithValue("session", call.SessionId);
            p.AddWithValue("call", call.CallId);
            p.AddWithValue("tool", call.ToolName);
            p.AddWithValue("outcome", call.Outcome);
            p.AddWithValue("latency", call.LatencyMs);
            p.AddWithValue("occurred", call.OccurredAt);
            SessionRows.AddDimensions(p, dimensions);
            p.AddWithValue("superseded", superseded);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        if (!superseded)
            await buckets.AddAsync(tx.Connection, tx.Transaction, call.TenantId, call.OccurredAt, dimensions, ToolDeltas.Call(call.Outcome, call.LatencyMs), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordServerCallAsync(ToolInvoked call, CancellationToken cancellationToken)
    {
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, call.TenantId, call.SessionId, call.InvokedAt, null, cancellationToken);
        if (!access.Allowed) return false;

        await using (var insert = tx.Command("""
            INSERT INTO server_tool_calls (event_id, tenant_id, session_id, call_id, tool_name, built_in, outcome, latency_ms, invoked_at, aggregated)
            VALUES (@event, @tenant, @session, @call, @tool, @built_in, @outcome, @latency, @invoked, @aggregated)
            ON CONFLICT (event_id) DO NOTHING
            """))
        {
            var p = insert.Parameters;
            p.AddWithValue("event", call.EventId);
            p.AddWithValue("tenant", call.TenantId);
            p.AddWithValue("session", call.SessionId);
            p.AddWithValue("call", call.CallId);
            p.AddWithValue("tool", call.ToolName);
            p.AddWithValue("built_in", call.BuiltIn);
            p.AddWithValue("outcome", call.Outcome);
            p.AddWithValue("latency", call.LatencyMs);
            p.AddWithValue("invoked", call.InvokedAt);
            p.AddWithValue("aggregated", access.Dimensions is not null);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        await TakeBackUnansweredClientRecordsAsync(tx, call, cancellationToken);
        // Without the session's dimensions yet, the call waits (aggregated = false) until an event brings them.
        if (access.Dimensions is { } dimensions)
            await buckets.AddAsync(tx.Connection, tx.Transaction, call.TenantId, call.InvokedAt, dimensions, ToolDeltas.Call(call.Outcome, call.LatencyMs), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> HasServerCallAsync(IngestTransaction tx, string sessionId, string callId, CancellationToken cancellationToken)
    {
        await using var exists = tx.Command("SELECT EXISTS (SELECT 1 FROM server_tool_calls WHERE session_id = @s AND call_id = @c)");
        exists.Parameters.AddWithValue("s", sessionId);
        exists.Parameters.AddWithValue("c", callId);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task TakeBackUnansweredClientRecordsAsync(IngestTransaction tx, ToolInvoked call, CancellationToken cancellationToken)
    {
        var counted = new List<(DateTimeOffset OccurredAt, Dimensions Dimensions)>();
        await using (var supersede = tx.Command("""
            UPDATE client_tool_calls SET superseded = true
            WHERE session_id = @s AND call_id = @c AND outcome = 'unanswered' AND NOT superseded
            RETURNING occurred_at, model, provider, route, experiment_id, experiment_arm
            """))
        {
            supersede.Parameters.AddWithValue("s", call.SessionId);
            supersede.Parameters.AddWithValue("c", call.CallId);
            await using var reader = await supersede.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                counted.Add((reader.GetFieldValue<DateTimeOffset>(0), new Dimensions(reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5))));
        }
        foreach (var (occurredAt, dimensions) in counted)
            await buckets.AddAsync(tx.Connection, tx.Transaction, call.TenantId, occurredAt, dimensions, ToolDeltas.TakeBackUnanswered(), cancellationToken);
    }
}
