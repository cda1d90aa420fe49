using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Sessions;

namespace VoicePlatform.Insights.Ingest;

/// <summary>Stores a <see cref="TurnMeasured"/> and adds it to its hour's bucket, once per event id.</summary>
public sealed class TurnIngest(NpgsqlDataSource dataSource, SessionRows sessions, BucketWriter buckets)
{
    /// <returns>false when the event was already applied (redelivery) or names another tenant's session.</returns>
    public async Task<bool> RecordAsync(TurnMeasured turn, CancellationToken cancellationToken)
    {
        var dimensions = Dimensions.From(turn.Dimensions);
        await using var tx = await IngestTransaction.BeginAsync(dataSource, cancellationToken);
        var access = await sessions.OpenAsync(tx.Connection, tx.Transaction, turn.TenantId, turn.SessionId, turn.OccurredAt, dimensions, cancellationToken);
        if (!access.Allowed) return false;

        await using (var insert = tx.Command("""
            INSERT INTO turns (event_id, tenant_id, session_id, response_id, occurred_at, model, provider, route, experiment_id, experiment_arm,
                trigger, turn_end_ms, response_latency_ms, first_text_latency_ms, status, audio_out_ms, interrupted, interrupted_after_ms,
                max_stall_ms, items)
            VALUES (@event, @tenant, @session, @response, @occurred, @model, @provider, @route, @experiment, @arm,
                @trigger, @turn_end, @latency, @first_text, @status, @audio_out, @interrupted, @interrupted_after, @stall, @items)
            ON CONFLICT (event_id) DO NOTHING
            """))
        {
            var p = insert.Parameters;
            p.AddWithValue("event", turn.EventId);
            p.AddWithValue("tenant", turn.TenantId);
            p.AddWithValue("session", turn.SessionId);
            p.AddWithValue("response", turn.ResponseId);
            p.AddWithValue("occurred", turn.OccurredAt);
            SessionRows.AddDimensions(p, dimensions);
            p.AddWithValue("trigger", turn.Trigger);
            p.Add(new NpgsqlParameter<long?>("turn_end", turn.TurnEndMs));
            p.Add(new NpgsqlParameter<long?>("latency", turn.ResponseLatencyMs));
            p.Add(new NpgsqlParameter<long?>("first_text", turn.FirstTextLatencyMs));
            p.AddWithValue("status", turn.Status);
            p.AddWithValue("audio_out", turn.AudioOutMs);
            p.AddWithValue("interrupted", turn.Interrupted);
            p.Add(new NpgsqlParameter<long?>("interrupted_after", turn.InterruptedAfterMs));
            p.AddWithValue("stall", turn.MaxStallMs);
            p.AddWithValue("items", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(turn.Items ?? []));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }

        await buckets.AddAsync(tx.Connection, tx.Transaction, turn.TenantId, turn.OccurredAt, dimensions, new BucketDelta
        {
            Turns = 1,
            TurnsInterrupted = turn.Interrupted ? 1 : 0,
            TurnsCancelled = turn.Status == "cancelled" ? 1 : 0,
            TurnsFailed = turn.Status == "failed" ? 1 : 0,
            TurnAudioOutMs = turn.AudioOutMs,
            ResponseLatencyMs = turn.ResponseLatencyMs,
            FirstTextLatencyMs = turn.FirstTextLatencyMs,
        }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
