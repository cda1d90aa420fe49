using Npgsql;
using NpgsqlTypes;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Bench.InsightsBenchmark;

/// <summary>
/// Loads turns the fast way for the query benchmark: COPY into the raw turns table, and the hourly bucket rows built
/// in memory with the service's own <see cref="LatencySketch"/> (what the consumers' <see cref="BucketWriter"/> would
/// have written turn by turn), one hour at a time so only that hour's sketches are in memory.
/// </summary>
public sealed class BulkLoader(NpgsqlDataSource dataSource)
{
    public async Task LoadHourAsync(Guid tenantId, DateTimeOffset hour, IReadOnlyList<TurnMeasured> turns)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY turns (event_id, tenant_id, session_id, response_id, occurred_at, model, provider, route, experiment_id, experiment_arm,
                trigger, turn_end_ms, response_latency_ms, first_text_latency_ms, status, audio_out_ms, interrupted, interrupted_after_ms,
                max_stall_ms, items) FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var t in turns)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(t.EventId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(t.TenantId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(t.SessionId, NpgsqlDbType.Text);
                await copy.WriteAsync(t.ResponseId, NpgsqlDbType.Text);
                await copy.WriteAsync(t.OccurredAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(t.Dimensions.Model, NpgsqlDbType.Text);
                await copy.WriteAsync(t.Dimensions.Provider, NpgsqlDbType.Text);
                await WriteNullableAsync(copy, t.Dimensions.Route);
                await WriteNullableAsync(copy, t.Dimensions.ExperimentId);
                await WriteNullableAsync(copy, t.Dimensions.ExperimentArm);
                await copy.WriteAsync(t.Trigger, NpgsqlDbType.Text);
                await copy.WriteAsync(t.TurnEndMs!.Value, NpgsqlDbType.Bigint);
                if (t.ResponseLatencyMs is { } ttfa) await copy.WriteAsync(ttfa, NpgsqlDbType.Bigint); else await copy.WriteNullAsync();
                await copy.WriteAsync(t.FirstTextLatencyMs!.Value, NpgsqlDbType.Bigint);
                await copy.WriteAsync(t.Status, NpgsqlDbType.Text);
                await copy.WriteAsync(t.AudioOutMs, NpgsqlDbType.Bigint);
                await copy.WriteAsync(t.Interrupted, NpgsqlDbType.Boolean);
                await copy.WriteNullAsync();
                await copy.WriteAsync(t.MaxStallMs, NpgsqlDbType.Bigint);
                await copy.WriteAsync("[]", NpgsqlDbType.Jsonb);
            }
            await copy.CompleteAsync();
        }

        foreach (var group in turns.GroupBy(t => Dimensions.From(t.Dimensions)))
        {
            var response = new LatencySketch();
            var firstText = new LatencySketch();
            foreach (var t in group)
            {
                if (t.ResponseLatencyMs is { } ttfa) response.Record(ttfa);
                if (t.FirstTextLatencyMs is { } text) firstText.Record(text);
            }
            var d = group.Key;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO quality_buckets (tenant_id, bucket_start, model, provider, route, experiment_id, experiment_arm,
                    turns, turns_interrupted, turn_audio_out_ms, response_latency_sketch, first_text_latency_sketch)
                VALUES (@tenant, @bucket, @model, @provider, @route, @experiment, @arm, @turns, @interrupted, @audio, @response, @first_text)
                """, connection);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("bucket", hour);
            insert.Parameters.AddWithValue("model", d.Model);
            insert.Parameters.AddWithValue("provider", d.Provider);
            insert.Parameters.AddWithValue("route", d.Route ?? "");
            insert.Parameters.AddWithValue("experiment", d.ExperimentId ?? "");
            insert.Parameters.AddWithValue("arm", d.ExperimentArm ?? "");
            insert.Parameters.AddWithValue("turns", (long)group.Count());
            insert.Parameters.AddWithValue("interrupted", (long)group.Count(t => t.Interrupted));
            insert.Parameters.AddWithValue("audio", group.Sum(t => t.AudioOutMs));
            insert.Parameters.AddWithValue("response", response.Encode());
            insert.Parameters.AddWithValue("first_text", firstText.Encode());
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);
}
