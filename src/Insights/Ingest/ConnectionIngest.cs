using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Sessions;
using Npgsql;

namespace VoicePlatform.Insights.Ingest;

/// <summary>
/// Stores a <see cref="SessionMeasured"/> (one client connection's part of a session) and adds it to the bucket of the
/// hour the connection opened; the session itself is counted with its first connection to arrive.
/// </summary>
public sealed class ConnectionIngest(NpgsqlDataSource dataSource, SessionRows sessions, BucketWriter buckets)
{
    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordAsync(SessionMeasured measured, CancellationToken cancellationToken)
    {
        var dimensions = Dimensions.From(measured.Dimensions);
        var category = EndCategories.Map(measured.EndReason);
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, measured.TenantId, measured.SessionId, measured.OpenedAt, dimensions, cancellationToken);
        if (!access.Allowed) return false;

        bool firstConnection;
        await using (var exists = tx.Command("SELECT NOT EXISTS (SELECT 1 FROM connections WHERE session_id = @s)"))
        {
            exists.Parameters.AddWithValue("s", measured.SessionId);
            firstConnection = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var insert = tx.Command("""
            INSERT INTO connections (event_id, tenant_id, session_id, connection_id, model, provider, route, experiment_id, experiment_arm,
                opened_at, duration_ms, turns, audio_in_ms, audio_out_ms, interruptions, false_interruptions, responses_cancelled,
                input_frames_dropped, client_messages_rejected, end_reason, end_category)
            VALUES (@event, @tenant, @session, @connection, @model, @provider, @route, @experiment, @arm,
                @opened, @duration, @turns, @audio_in, @audio_out, @interruptions, @false_interruptions, @cancelled,
                @dropped, @rejected, @reason, @category)
            ON CONFLICT (event_id) DO NOTHING
            """))
        {
            var p = insert.Parameters;
            p.AddWithValue("event", measured.EventId);
            p.AddWithValue("tenant", measured.TenantId);
            p.AddWithValue("session", measured.SessionId);
            p.AddWithValue("connection", measured.ConnectionId);
            SessionRows.AddDimensions(p, dimensions);
            p.AddWithValue("opened", measured.OpenedAt);
            p.AddWithValue("duration", measured.DurationMs);
            p.AddWithValue("turns", measured.Turns);
            p.AddWithValue("audio_in", measured.AudioInMs);
            p.AddWithValue("audio_out", measured.AudioOutMs);
            p.AddWithValue("interruptions", measured.Interruptions);
            p.AddWithValue("false_interruptions", measured.FalseInterruptions);
            p.AddWithValue("cancelled", measured.ResponsesCancelled);
            p.AddWithValue("dropped", measured.InputFramesDropped);
            p.AddWithValue("rejected", measured.ClientMessagesRejected);
            p.AddWithValue("reason", measured.EndReason);
            p.AddWithValue("category", category);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }

        await buckets.AddAsync(tx.Connection, tx.Transaction, measured.TenantId, measured.OpenedAt, dimensions, new BucketDelta
        {
            Sessions = firstConnection ? 1 : 0,
            Connections = 1,
            ConnectionDurationMs = measured.DurationMs,
            AudioInMs = measured.AudioInMs,
            Interruptions = measured.Interruptions,
            FalseInterruptions = measured.FalseInterruptions,
            ErrorEnds = EndCategories.IsError(category) ? 1 : 0,
        }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
