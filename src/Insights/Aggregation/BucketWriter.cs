using Npgsql;

namespace VoicePlatform.Insights.Aggregation;

/// <summary>
/// Adds facts to their hourly bucket row inside the caller's transaction. Counters are added in one upsert, which also
/// locks the row until the transaction ends; latencies are then merged into the row's sketches (read with the upsert's
/// RETURNING under that lock, written back), so concurrent consumers serialise per bucket row and lose no update.
/// </summary>
public sealed class BucketWriter
{
    private const string Upsert = """
        INSERT INTO quality_buckets AS b (tenant_id, bucket_start, model, provider, route, experiment_id, experiment_arm,
            turns, turns_interrupted, turns_cancelled, turns_failed, turn_audio_out_ms, sessions, connections, connection_duration_ms,
            audio_in_ms, interruptions, false_interruptions, error_ends, tool_calls, tool_failures)
        VALUES (@tenant, @bucket, @model, @provider, @route, @experiment, @arm,
            @turns, @turns_interrupted, @turns_cancelled, @turns_failed, @turn_audio_out_ms, @sessions, @connections, @connection_duration_ms,
            @audio_in_ms, @interruptions, @false_interruptions, @error_ends, @tool_calls, @tool_failures)
        ON CONFLICT (tenant_id, bucket_start, model, provider, route, experiment_id, experiment_arm) DO UPDATE SET
            turns = b.turns + EXCLUDED.turns, turns_interrupted = b.turns_interrupted + EXCLUDED.turns_interrupted,
            turns_cancelled = b.turns_cancelled + EXCLUDED.turns_cancelled, turns_failed = b.turns_failed + EXCLUDED.turns_failed,
            turn_audio_out_ms = b.turn_audio_out_ms + EXCLUDED.turn_audio_out_ms, sessions = b.sessions + EXCLUDED.sessions,
            connections = b.connections + EXCLUDED.connections,
            connection_duration_ms = b.connection_duration_ms + EXCLUDED.connection_duration_ms,
            audio_in_ms = b.audio_in_ms + EXCLUDED.audio_in_ms, interruptions = b.interruptions + EXCLUDED.interruptions,
            false_interruptions = b.false_interruptions + EXCLUDED.false_interruptions, error_ends = b.error_ends + EXCLUDED.error_ends,
            tool_calls = b.tool_calls + EXCLUDED.tool_calls, tool_failures = b.tool_failures + EXCLUDED.tool_failures
        RETURNING response_latency_sketch, first_text_latency_sketch, tool_latency_sketch
        """;

    /// <summary>The hour a time falls in (UTC).</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    public async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, DateTimeOffset at,
        Dimensions dimensions, BucketDelta delta, CancellationToken cancellationToken)
    {
        var bucket = BucketOf(at);
        byte[]? response, firstText, tool;
        await using (var upsert = new NpgsqlCommand(Upsert, connection, transaction))
        {
            AddKey(upsert.Parameters, tenantId, bucket, dimensions);
            var p = upsert.Parameters;
            p.AddWithValue("turns", delta.Turns);
            p.AddWithValue("turns_interrupted", delta.TurnsInterrupted);
            p.AddWithValue("turns_cancelled", delta.TurnsCancelled);
            p.AddWithValue("turns_failed", delta.TurnsFailed);
            p.AddWithValue("turn_audio_out_ms", delta.TurnAudioOutMs);
            p.AddWithValue("sessions", delta.Sessions);
            p.AddWithValue("connections", delta.Connections);
            p.AddWithValue("connection_duration_ms", delta.ConnectionDurationMs);
            p.AddWithValue("audio_in_ms", delta.AudioInMs);
            p.AddWithValue("interruptions", delta.Interruptions);
            p.AddWithValue("false_interruptions", delta.FalseInterruptions);
            p.AddWithValue("error_ends", delta.ErrorEnds);
            p.AddWithValue("tool_calls", delta.ToolCalls);
            p.AddWithValue("tool_failures", delta.ToolFailures);
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            response = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
            firstText = reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1);
            tool = reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2);
        }
        if (!delta.HasLatency) return;

        await using var update = new NpgsqlCommand("""
            UPDATE quality_buckets SET
                response_latency_sketch = COALESCE(@response, response_latency_sketch),
                first_text_latency_sketch = COALESCE(@first_text, first_text_latency_sketch),
                tool_latency_sketch = COALESCE(@tool, tool_latency_sketch)
            WHERE tenant_id = @tenant AND bucket_start = @bucket AND model = @model AND provider = @provider
              AND route = @route AND experiment_id = @experiment AND experiment_arm = @arm
            """, connection, transaction);
        AddKey(update.Parameters, tenantId, bucket, dimensions);
        update.Parameters.Add(new NpgsqlParameter<byte[]?>("response", Recorded(response, delta.ResponseLatencyMs)));
        update.Parameters.Add(new NpgsqlParameter<byte[]?>("first_text", Recorded(firstText, delta.FirstTextLatencyMs)));
        update.Parameters.Add(new NpgsqlParameter<byte[]?>("tool", Recorded(tool, delta.ToolLatencyMs)));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static byte[]? Recorded(byte[]? encoded, long? valueMs)
    {
        if (valueMs is not { } value) return null;
        var sketch = LatencySketch.Decode(encoded);
        sketch.Record(value);
        return sketch.Encode();
    }

    private static void AddKey(NpgsqlParameterCollection p, Guid tenantId, DateTimeOffset bucket, Dimensions d)
    {
        p.AddWithValue("tenant", tenantId);
        p.AddWithValue("bucket", bucket);
        p.AddWithValue("model", d.Model);
        p.AddWithValue("provider", d.Provider);
        p.AddWithValue("route", d.Route ?? "");
        p.AddWithValue("experiment", d.ExperimentId ?? "");
        p.AddWithValue("arm", d.ExperimentArm ?? "");
    }
}
