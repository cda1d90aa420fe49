using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Sessions;

namespace VoicePlatform.Insights.Ingest;

/// <summary>
/// The session-level events: the Router's <see cref="SessionStarted"/> / <see cref="SessionEnded"/>, Billing's
/// <see cref="UsagePriced"/> (the session's cost is their sum) and <see cref="ContinuityEventRecorded"/>. Each applied once.
/// </summary>
public sealed class SessionEventIngest(NpgsqlDataSource dataSource, SessionRows sessions)
{
    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordStartedAsync(SessionStarted started, CancellationToken cancellationToken)
    {
        var dimensions = new Dimensions(started.Model, started.Provider, Dimensions.Blank(started.Route),
            Dimensions.Blank(started.ExperimentId), Dimensions.Blank(started.ExperimentArm));
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, started.TenantId, started.SessionId, started.StartedAt, dimensions, cancellationToken);
        if (!access.Allowed) return false;
        await using var update = tx.Command("""
            UPDATE sessions SET started_at = @started, started_event_id = @event, first_seen_at = LEAST(first_seen_at, @started),
                model = @model, provider = @provider, route = @route, experiment_id = @experiment, experiment_arm = @arm
            WHERE session_id = @s AND started_event_id IS NULL
            """);
        update.Parameters.AddWithValue("s", started.SessionId);
        update.Parameters.AddWithValue("started", started.StartedAt);
        update.Parameters.AddWithValue("event", started.EventId);
        SessionRows.AddDimensions(update.Parameters, dimensions);
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <returns>false when the event was already applied (redelivery), is older than the end already recorded, or names another tenant's session.</returns>
    public async Task<bool> RecordEndedAsync(SessionEnded ended, CancellationToken cancellationToken)
    {
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, ended.TenantId, ended.SessionId,
            ended.EndedAt.AddMilliseconds(-ended.DurationMs), null, cancellationToken);
        if (!access.Allowed) return false;
        // A client that resumed after a drop ends the session again later: the latest end is the real one.
        await using var update = tx.Command("""
            UPDATE sessions SET ended_at = @ended, end_reason = @reason, end_category = @category, duration_ms = @duration, ended_event_id = @event
            WHERE session_id = @s AND (ended_event_id IS NULL OR (ended_event_id <> @event AND ended_at < @ended))
            """);
        update.Parameters.AddWithValue("s", ended.SessionId);
        update.Parameters.AddWithValue("ended", ended.EndedAt);
        update.Parameters.AddWithValue("reason", ended.EndReason);
        update.Parameters.AddWithValue("category", EndCategories.Map(ended.EndReason));
        update.Parameters.AddWithValue("duration", ended.DurationMs);
        update.Parameters.AddWithValue("event", ended.EventId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordCostAsync(UsagePriced priced, CancellationToken cancellationToken)
    {
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, priced.TenantId, priced.SessionId, priced.OccurredAt, null, cancellationToken);
        if (!access.Allowed) return false;
        await using var insert = tx.Command("""
            INSERT INTO usage_costs (event_id, tenant_id, session_id, cost_usd, occurred_at) VALUES (@event, @tenant, @s, @cost, @occurred)
            ON CONFLICT (event_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("event", priced.EventId);
        insert.Parameters.AddWithValue("tenant", priced.TenantId);
        insert.Parameters.AddWithValue("s", priced.SessionId);
        insert.Parameters.AddWithValue("cost", priced.CostUsd);
        insert.Parameters.AddWithValue("occurred", priced.OccurredAt);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordContinuityAsync(ContinuityEventRecorded recorded, CancellationToken cancellationToken)
    {
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, recorded.TenantId, recorded.SessionId, recorded.OccurredAt, null, cancellationToken);
        if (!access.Allowed) return false;
        await using var insert = tx.Command("""
            INSERT INTO continuity_events (event_id, tenant_id, session_id, kind, occurred_at, at_ms, duration_ms, detail)
            VALUES (@event, @tenant, @s, @kind, @occurred, @at, @duration, @detail)
            ON CONFLICT (event_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("event", recorded.EventId);
        insert.Parameters.AddWithValue("tenant", recorded.TenantId);
        insert.Parameters.AddWithValue("s", recorded.SessionId);
        insert.Parameters.AddWithValue("kind", recorded.Kind);
        insert.Parameters.AddWithValue("occurred", recorded.OccurredAt);
        insert.Parameters.Add(new NpgsqlParameter<long?>("at", recorded.AtMs));
        insert.Parameters.AddWithValue("duration", recorded.DurationMs);
        insert.Parameters.Add(new NpgsqlParameter<string?>("detail", recorded.Detail));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
