using Npgsql;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Insights.Queries;

/// <summary>
/// Summaries and time series from the hourly buckets: the rows in range are read (never the raw turns) and added up
/// per group, latency sketches merged, percentiles read from the merged sketch.
/// </summary>
public sealed class SummaryQuery(NpgsqlDataSource dataSource)
{
    public static readonly string[] GroupBys = ["none", "model", "provider", "route", "experiment", "arm", "day", "hour"];

    public async Task<GetSummaryResponse> SummarizeAsync(Guid tenantId, QueryRange range, string groupBy, QualityFilter? filter,
        CancellationToken cancellationToken)
    {
        var groups = new SortedDictionary<string, SummaryAccumulator>(StringComparer.Ordinal);
        await foreach (var row in ReadAsync(tenantId, range, filter, cancellationToken))
        {
            var key = KeyOf(row, groupBy);
            if (!groups.TryGetValue(key, out var accumulator)) groups[key] = accumulator = new SummaryAccumulator();
            accumulator.Add(row);
        }
        var response = new GetSummaryResponse { FromUnixMs = range.From.ToUnixTimeMilliseconds(), ToUnixMs = range.To.ToUnixTimeMilliseconds() };
        response.Groups.AddRange(groups.Select(g => g.Value.ToGroup(g.Key)));
        return response;
    }

    public async Task<GetTimeseriesResponse> TimeseriesAsync(Guid tenantId, QueryRange range, TimeseriesMetric metric, string interval,
        string groupBy, QualityFilter? filter, CancellationToken cancellationToken)
    {
        var points = new SortedDictionary<(string Key, DateTimeOffset Start), SummaryAccumulator>();
        await foreach (var row in ReadAsync(tenantId, range, filter, cancellationToken))
        {
            var start = interval == "day" ? new DateTimeOffset(row.BucketStart.UtcDateTime.Date, TimeSpan.Zero) : row.BucketStart;
            var key = (KeyOf(row, groupBy), start);
            if (!points.TryGetValue(key, out var accumulator)) points[key] = accumulator = new SummaryAccumulator();
            accumulator.Add(row);
        }
        var response = new GetTimeseriesResponse { FromUnixMs = range.From.ToUnixTimeMilliseconds(), ToUnixMs = range.To.ToUnixTimeMilliseconds() };
        foreach (var series in points.GroupBy(p => p.Key.Key))
        {
            var timeseries = new TimeseriesSeries { Key = series.Key };
            foreach (var ((_, start), accumulator) in series)
            {
                var (value, count) = metric.Evaluate(accumulator);
                var point = new TimeseriesPoint { BucketStartUnixMs = start.ToUnixTimeMilliseconds(), Count = count };
                if (value is { } v) point.Value = v;
                timeseries.Points.Add(point);
            }
            response.Series.Add(timeseries);
        }
        return response;
    }

    private static string KeyOf(BucketRow row, string groupBy) => groupBy switch
    {
        "model" => row.Model,
        "provider" => row.Provider,
        "route" => row.Route,
        "experiment" => row.ExperimentId,
        "arm" => row.ExperimentArm,
        "day" => new DateTimeOffset(row.BucketStart.UtcDateTime.Date, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        "hour" => row.BucketStart.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
        _ => "",
    };

    private async IAsyncEnumerable<BucketRow> ReadAsync(Guid tenantId, QueryRange range, QualityFilter? filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT bucket_start, model, provider, route, experiment_id, experiment_arm, turns, turns_interrupted, turns_cancelled, turns_failed,
                   turn_audio_out_ms, sessions, connections, connection_duration_ms, audio_in_ms, interruptions, false_interruptions, error_ends,
                   tool_calls, tool_failures, response_latency_sketch, first_text_latency_sketch, tool_latency_sketch
            FROM quality_buckets
            WHERE tenant_id = @tenant AND bucket_start >= @from AND bucket_start < @to
              AND (@model = '' OR model = @model) AND (@provider = '' OR provider = @provider) AND (@route = '' OR route = @route)
              AND (@experiment = '' OR experiment_id = @experiment) AND (@arm = '' OR experiment_arm = @arm)
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("from", range.From);
        command.Parameters.AddWithValue("to", range.To);
        command.Parameters.AddWithValue("model", filter?.Model ?? "");
        command.Parameters.AddWithValue("provider", filter?.Provider ?? "");
        command.Parameters.AddWithValue("route", filter?.Route ?? "");
        command.Parameters.AddWithValue("experiment", filter?.ExperimentId ?? "");
        command.Parameters.AddWithValue("arm", filter?.ExperimentArm ?? "");
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            yield return new BucketRow(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12), r.GetInt64(13),
                r.GetInt64(14), r.GetInt64(15), r.GetInt64(16), r.GetInt64(17), r.GetInt64(18), r.GetInt64(19),
                r.IsDBNull(20) ? null : r.GetFieldValue<byte[]>(20), r.IsDBNull(21) ? null : r.GetFieldValue<byte[]>(21),
                r.IsDBNull(22) ? null : r.GetFieldValue<byte[]>(22));
    }
}
