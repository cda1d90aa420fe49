using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Insights.Ingest;
using Microsoft.Extensions.DependencyInjection;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Queries;

/// <summary>Summaries and time series from the hourly buckets: grouping, filters, and percentiles from merged sketches.</summary>
[Collection(InsightsCollection.Name)]
public class SummaryTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Percentiles_of_sketches_merged_over_many_hours_agree_with_the_exact_percentiles()
    {
        var tenant = Guid.NewGuid();
        var ingest = fixture.Services.GetRequiredService<TurnIngest>();
        var random = new Random(42);
        var values = new List<long>();
        // 2,000 turns over 48 hours and two sessions: 48 bucket rows, each with its own sketch, merged at query time.
        for (var i = 0; i < 2_000; i++)
        {
            var latency = (long)Math.Round(Math.Exp(6.3 + 0.6 * Gaussian(random))); // log-normal around 550 ms
            values.Add(latency);
            var session = $"sess_sketch_{tenant:N}_{i % 2}";
            Assert.True(await ingest.RecordAsync(Turn(tenant, session, $"resp_{i}", Start.AddMinutes(i * 48 * 60 / 2_000.0), latency), CancellationToken.None));
        }
        values.Sort();

        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant, to: Start.AddDays(3))).Groups);
        Assert.Equal(2_000, group.Turns);
        Assert.Equal(2_000, group.ResponseLatency.Count);
        foreach (var (percentile, actual) in new[] { (50, group.ResponseLatency.P50Ms), (90, group.ResponseLatency.P90Ms),
                     (95, group.ResponseLatency.P95Ms), (99, group.ResponseLatency.P99Ms) })
        {
            // HdrHistogram's value at a percentile is the highest value equivalent (2 significant digits: within 1 %)
            // to the exact one, where exact = the smallest value with at least that share of values at or below it.
            var exact = values[(int)Math.Ceiling(percentile / 100.0 * values.Count) - 1];
            Assert.InRange(actual, exact, exact * 1.01 + 1);
        }
        Assert.Equal(values.Average(), group.ResponseLatency.MeanMs, 0.01 * values.Average());
    }

    [Fact]
    public async Task Grouped_by_model_arm_and_hour_and_filtered()
    {
        var tenant = Guid.NewGuid();
        var ingest = fixture.Services.GetRequiredService<TurnIngest>();
        var a = Dims("gpt-realtime-2", "openai", "support", "exp_1", "control");
        var b = Dims("gemini-3.1-flash-live", "google", "support", "exp_1", "treatment");
        var c = Dims("gpt-realtime-2", "openai", null, null, null);
        await RecordAsync(ingest, tenant, a, Start, 500, 600, 700);
        await RecordAsync(ingest, tenant, b, Start.AddHours(1), 300, 320);
        await RecordAsync(ingest, tenant, c, Start.AddHours(1), 900);

        var byModel = (await InsightsProbe.SummaryAsync(fixture, tenant, "model")).Groups;
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], byModel.Select(g => g.Key));
        Assert.Equal([2L, 4L], byModel.Select(g => g.Turns));
        SketchPrecision.AssertEquivalent(300, byModel[0].ResponseLatency.P50Ms);
        SketchPrecision.AssertEquivalent(600, byModel[1].ResponseLatency.P50Ms);

        var byArm = (await InsightsProbe.SummaryAsync(fixture, tenant, "arm", new QualityFilter { ExperimentId = "exp_1" })).Groups;
        Assert.Equal(["control", "treatment"], byArm.Select(g => g.Key));
        Assert.Equal([3L, 2L], byArm.Select(g => g.Turns));

        var byHour = (await InsightsProbe.SummaryAsync(fixture, tenant, "hour", new QualityFilter { Model = "gpt-realtime-2" })).Groups;
        Assert.Equal(["2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"], byHour.Select(g => g.Key));
        Assert.Equal([3L, 1L], byHour.Select(g => g.Turns));

        var routeless = (await InsightsProbe.SummaryAsync(fixture, tenant, "route")).Groups;
        Assert.Equal(["", "support"], routeless.Select(g => g.Key));

        // The range is in whole hours: 11:30–11:45 covers the 11:00 bucket.
        var late = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant, from: Start.AddHours(1).AddMinutes(15), to: Start.AddHours(1).AddMinutes(30))).Groups);
        Assert.Equal(3, late.Turns);

        var series = await fixture.Client.GetTimeseriesAsync(new GetTimeseriesRequest
        {
            TenantId = tenant.ToString(), FromUnixMs = Start.AddHours(-2).ToUnixTimeMilliseconds(), ToUnixMs = Start.AddHours(5).ToUnixTimeMilliseconds(),
            Metric = "response_latency_p50", Interval = "hour", GroupBy = "model",
        });
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], series.Series.Select(s => s.Key));
        var gpt = series.Series[1].Points;
        Assert.Equal([Start.AddMinutes(-15).ToUnixTimeMilliseconds(), Start.AddMinutes(45).ToUnixTimeMilliseconds()], gpt.Select(p => p.BucketStartUnixMs));
        SketchPrecision.AssertEquivalent(600, gpt[0].Value);
        SketchPrecision.AssertEquivalent(900, gpt[1].Value);
        Assert.Equal([3L, 1L], gpt.Select(p => p.Count));
    }

    [Fact]
    public async Task Invalid_queries_are_rejected_with_the_parameter_named()
    {
        var tenant = Guid.NewGuid().ToString();
        var from = Start.ToUnixTimeMilliseconds();
        var cases = new (Func<Task> Call, string Param)[]
        {
            (() => fixture.Client.GetSummaryAsync(new GetSummaryRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from + 1, GroupBy = "planet" }).ResponseAsync, "group_by"),
            (() => fixture.Client.GetSummaryAsync(new GetSummaryRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from }).ResponseAsync, "from"),
            (() => fixture.Client.GetSummaryAsync(new GetSummaryRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from + 401L * 86_400_000 }).ResponseAsync, "from"),
            (() => fixture.Client.GetTimeseriesAsync(new GetTimeseriesRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from + 1, Metric = "vibes", Interval = "hour" }).ResponseAsync, "metric"),
            (() => fixture.Client.GetTimeseriesAsync(new GetTimeseriesRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from + 1, Metric = "turns", Interval = "week" }).ResponseAsync, "interval"),
            (() => fixture.Client.GetTimeseriesAsync(new GetTimeseriesRequest { TenantId = tenant, FromUnixMs = from, ToUnixMs = from + 32L * 86_400_000, Metric = "turns", Interval = "hour" }).ResponseAsync, "from"),
        };
        foreach (var (call, param) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal(param, error.Trailers.GetValue("param"));
        }
    }

    private static async Task RecordAsync(TurnIngest ingest, Guid tenant, Contracts.Events.Quality.QualityDimensions dims, DateTimeOffset at, params long[] latencies)
    {
        var session = NewSession();
        for (var i = 0; i < latencies.Length; i++)
            Assert.True(await ingest.RecordAsync(Turn(tenant, session, $"resp_{i}", at.AddSeconds(i), latencies[i], dims: dims), CancellationToken.None));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
