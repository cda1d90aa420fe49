using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VoicePlatform.TestSupport.LocalServers;
using VoicePlatform.AppHost.Resources;
using VoicePlatform.Bench.InsightsBenchmark;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Ingest;
using VoicePlatform.Insights.Queries;
using VoicePlatform.Insights.Sessions;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;

// Usage: dotnet run --project bench/InsightsBenchmark -c Release -- [--turns 1000000] [--ingest 20000] [--concurrency 4]
//        [--days 30] [--repeat 5] [--postgres CONNECTION_STRING] [--out FILE]
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var totalTurns = Option("turns", 1_000_000);
var ingestTurns = Option("ingest", 20_000);
var concurrency = Option("concurrency", 4);
var days = Option("days", 30);
var repeat = Option("repeat", 5);

PostgresServer? postgres = null;
string adminConnectionString;
if (options.TryGetValue("postgres", out var given)) adminConnectionString = given;
else
{
    var directory = Path.Combine(Path.GetTempPath(), $"insights-bench-{Environment.ProcessId}");
    Directory.CreateDirectory(directory);
    postgres = new PostgresServer(directory, FreePorts.Next(), new FileLogSink(Path.Combine(directory, "postgres.log")));
    await postgres.StartAsync(CancellationToken.None);
    adminConnectionString = postgres.ConnectionString("postgres");
}
var database = $"insights_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
await using (var admin = new NpgsqlConnection(adminConnectionString))
{
    await admin.OpenAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
    await create.ExecuteNonQueryAsync();
}
var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, MaxPoolSize = 50 }.ConnectionString;
await new SchemaMigrator(connectionString, typeof(TurnIngest).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
await using var dataSource = NpgsqlDataSource.Create(connectionString);

var end = BucketWriter.BucketOf(DateTimeOffset.UtcNow);
var start = end.AddDays(-days);
var hours = days * 24;
var random = new Random(20261205);

// 1. Ingest: the consumers' code path (TurnIngest: session row + advisory lock, turn row, bucket upsert + sketch merge),
//    `concurrency` consumers at once, turns spread over the range (so over many bucket rows, as in production).
var ingestTenant = Guid.NewGuid();
var ingestQueue = new Queue<TurnMeasured>(Enumerable.Range(0, hours)
    .SelectMany(h => SyntheticTurns.ForHour(ingestTenant, start.AddHours(h), Math.Max(1, ingestTurns / hours), random)).Take(ingestTurns));
var ingested = ingestQueue.Count;
var buckets = new BucketWriter();
var turnIngest = new TurnIngest(dataSource, new SessionRows(buckets), buckets);
var cpu = new MachineCpu();
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (true)
    {
        TurnMeasured? next;
        lock (ingestQueue) if (!ingestQueue.TryDequeue(out next)) return;
        await turnIngest.RecordAsync(next, CancellationToken.None);
    }
}));
var ingestSeconds = clock.Elapsed.TotalSeconds;
var ingestBusy = cpu.BusyShare();
Console.WriteLine($"ingest: {ingested} turns in {ingestSeconds:F1} s = {ingested / ingestSeconds:F0} turns/s ({concurrency} consumers), machine busy {ingestBusy:P0}");

// 2. Bulk load of the query data set: `totalTurns` turns for one tenant over the range.
var queryTenant = Guid.NewGuid();
var loader = new BulkLoader(dataSource);
clock.Restart();
var perHour = totalTurns / hours;
var remainder = totalTurns - perHour * hours;
for (var h = 0; h < hours; h++)
{
    var hour = start.AddHours(h);
    await loader.LoadHourAsync(queryTenant, hour, [.. SyntheticTurns.ForHour(queryTenant, hour, perHour + (h < remainder ? 1 : 0), random)]);
}
await using (var analyze = dataSource.CreateCommand("ANALYZE")) await analyze.ExecuteNonQueryAsync();
var loadSeconds = clock.Elapsed.TotalSeconds;
long bucketRows;
await using (var count = dataSource.CreateCommand("SELECT count(*) FROM quality_buckets WHERE tenant_id = @t"))
{
    count.Parameters.AddWithValue("t", queryTenant);
    bucketRows = (long)(await count.ExecuteScalarAsync())!;
}
Console.WriteLine($"loaded {totalTurns} turns ({bucketRows} bucket rows) in {loadSeconds:F1} s");

// 3. The query: a 30-day p95 of response latency by model. Sketches (the service's SummaryQuery) vs the raw table.
var summaries = new SummaryQuery(dataSource);
var range = new QueryRange(start, end);
async Task<Dictionary<string, long?>> SketchAsync()
{
    var response = await summaries.SummarizeAsync(queryTenant, range, "model", null, CancellationToken.None);
    return response.Groups.ToDictionary(g => g.Key, g => g.ResponseLatency.HasP95Ms ? g.ResponseLatency.P95Ms : (long?)null);
}
async Task<Dictionary<string, double>> RawAsync(string function)
{
    await using var command = dataSource.CreateCommand($"""
        SELECT model, {function}(0.95) WITHIN GROUP (ORDER BY response_latency_ms) FROM turns
        WHERE tenant_id = @t AND occurred_at >= @from AND occurred_at < @to AND response_latency_ms IS NOT NULL GROUP BY model
        """);
    command.Parameters.AddWithValue("t", queryTenant);
    command.Parameters.AddWithValue("from", start);
    command.Parameters.AddWithValue("to", end);
    var result = new Dictionary<string, double>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) result[reader.GetString(0)] = Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture);
    return result;
}
async Task<(List<double> Ms, double Busy, T Result)> TimeAsync<T>(Func<Task<T>> query)
{
    var result = await query(); // warm-up (JIT, caches)
    var times = new List<double>();
    var busy = new MachineCpu();
    for (var i = 0; i < repeat; i++)
    {
        var watch = Stopwatch.StartNew();
        result = await query();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return (times, busy.BusyShare(), result);
}
var sketch = await TimeAsync(SketchAsync);
var baseline = await TimeAsync(() => RawAsync("percentile_cont"));
var exact = await RawAsync("percentile_disc");
double Median(List<double> t) => t[t.Count / 2];
Console.WriteLine($"30-day p95 by model over {totalTurns} turns: sketches median {Median(sketch.Ms):F1} ms (max {sketch.Ms[^1]:F1}, busy {sketch.Busy:P0}); "
    + $"percentile_cont over raw turns median {Median(baseline.Ms):F1} ms (max {baseline.Ms[^1]:F1}, busy {baseline.Busy:P0})");
foreach (var (model, p95) in sketch.Result.OrderBy(p => p.Key))
    Console.WriteLine($"  {model}: sketch p95 {p95} ms, exact (percentile_disc) {exact.GetValueOrDefault(model)} ms, percentile_cont {baseline.Result.GetValueOrDefault(model):F1} ms");

var results = new
{
    utc = DateTime.UtcNow.ToString("O"),
    machine = new { cores = Environment.ProcessorCount, cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() },
    postgres = postgres is null ? "given" : "private (TestSupport's PostgresServer: fsync=off, synchronous_commit=off)",
    ingest = new { turns = ingested, concurrency, seconds = ingestSeconds, turns_per_second = ingested / ingestSeconds, machine_busy = ingestBusy },
    load = new { turns = totalTurns, days, bucket_rows = bucketRows, seconds = loadSeconds },
    query_sketch_ms = new { median = Median(sketch.Ms), max = sketch.Ms[^1], runs = sketch.Ms, machine_busy = sketch.Busy },
    query_raw_percentile_cont_ms = new { median = Median(baseline.Ms), max = baseline.Ms[^1], runs = baseline.Ms, machine_busy = baseline.Busy },
    p95_by_model = sketch.Result.OrderBy(p => p.Key).Select(p =>
        new { model = p.Key, sketch = p.Value, exact = exact.GetValueOrDefault(p.Key), percentile_cont = baseline.Result.GetValueOrDefault(p.Key) }),
};
var outPath = options.GetValueOrDefault("out") ?? Path.Combine("bench", "results", $"insights-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"results: {outPath}");

if (postgres is not null) await postgres.DisposeAsync();
