using System.Globalization;
using System.Text.Json;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Overview;

/// <summary>What the Overview shows, fetched from the Gateway in parallel; a part that failed is null with its reason.</summary>
public sealed class OverviewModel
{
    public TenantLimits? Limits { get; init; }
    public InsightsGroup? Last24Hours { get; init; }
    public IReadOnlyList<InsightsGroup> Hours { get; init; } = [];
    public IReadOnlyList<TimeseriesSeries> LatencyP50 { get; init; } = [];
    public IReadOnlyList<TimeseriesSeries> LatencyP95 { get; init; } = [];
    public UsageReport? MonthUsage { get; init; }
    public IReadOnlyList<SessionSummary> RecentSessions { get; init; } = [];
    public List<string> Problems { get; } = [];
    public DateTimeOffset Now { get; init; }

    public bool HasNoSessions => RecentSessions.Count == 0 && (Last24Hours?.Sessions ?? 0) == 0;

    public string? CostToday => MonthUsage?.Data.FirstOrDefault(d => d.Key == Now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))?.CostUsd ?? (MonthUsage is null ? null : "0");

    public string? CostThisMonth => Limits?.Budget?.MonthToDateUsd ?? MonthUsage?.TotalCostUsd;

    public double? InterruptionsPerSession =>
        Last24Hours is { Sessions: > 0 } summary ? (double)summary.Interruptions / summary.Sessions : null;

    public static async Task<OverviewModel> LoadAsync(GatewayApi gateway, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var from = hourStart.AddHours(-23);
        var to = hourStart.AddHours(1);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var problems = new List<string>();

        async Task<T?> Try<T>(string what, Task<T?> call) where T : class
        {
            try { return await call; }
            catch (Exception e) when (e is GatewayApiException or HttpRequestException or TaskCanceledException)
            {
                lock (problems) problems.Add($"{what}: {e.Message}");
                return null;
            }
        }

        var limits = Try("live sessions and budget", gateway.GetLimitsAsync(ct));
        var total = Try("quality summary", gateway.GetInsightsSummaryAsync(from, to, "none", ct));
        var hours = Try("sessions per hour", gateway.GetInsightsSummaryAsync(from, to, "hour", ct));
        var p50 = Try("latency", gateway.GetTimeseriesAsync("response_latency_p50", from, to, "hour", "model", ct));
        var p95 = Try("latency", gateway.GetTimeseriesAsync("response_latency_p95", from, to, "hour", "model", ct));
        var usage = Try("cost", gateway.GetUsageAsync(monthStart, now.AddMinutes(1), "day", ct));
        var recent = Try("recent sessions", gateway.ListSessionsAsync(new SessionFilter { Limit = 5 }, ct));
        await Task.WhenAll(limits, total, hours, p50, p95, usage, recent);

        var model = new OverviewModel
        {
            Now = now,
            Limits = limits.Result,
            Last24Hours = total.Result?.Data.FirstOrDefault(),
            Hours = hours.Result?.Data ?? [],
            LatencyP50 = p50.Result?.Data ?? [],
            LatencyP95 = p95.Result?.Data ?? [],
            MonthUsage = usage.Result,
            RecentSessions = recent.Result?.Data ?? [],
        };
        model.Problems.AddRange(problems.Distinct());
        return model;
    }

    /// <summary>Chart.js configuration for sessions (bars) and minutes (line) per hour over the last 24 hours.</summary>
    public string SessionsPerHourChart()
    {
        var byHour = Hours.Where(h => DateTimeOffset.TryParse(h.Key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            .ToDictionary(h => DateTimeOffset.Parse(h.Key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds());
        var first = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero).AddHours(-23);
        var hours = Enumerable.Range(0, 24).Select(i => first.AddHours(i)).ToList();
        InsightsGroup? At(DateTimeOffset hour) => byHour.GetValueOrDefault(hour.ToUnixTimeSeconds());
        return JsonSerializer.Serialize(new
        {
            labels = hours.Select(h => h.UtcDateTime.ToString("HH:00", CultureInfo.InvariantCulture)),
            datasets = new object[]
            {
                new { type = "bar", label = "Sessions", data = hours.Select(h => At(h)?.Sessions ?? 0), yAxisID = "y" },
                new { type = "line", label = "Minutes", data = hours.Select(h => Math.Round((At(h)?.ConnectionDurationMs ?? 0) / 60000.0, 1)), yAxisID = "y1" },
            },
        });
    }

    /// <summary>Chart.js configuration: time to first audio, p50 and p95, per model per hour.</summary>
    public string LatencyChart()
    {
        var starts = LatencyP50.Concat(LatencyP95).SelectMany(s => s.Points).Select(p => p.Start).Distinct().Order().ToList();
        IEnumerable<object> Series(IReadOnlyList<TimeseriesSeries> series, string percentile) => series.Select(s => (object)new
        {
            type = "line",
            label = $"{(s.Key.Length == 0 ? "(none)" : s.Key)} {percentile}",
            data = starts.Select(start => s.Points.FirstOrDefault(p => p.Start == start)?.Value),
            spanGaps = true,
        });
        return JsonSerializer.Serialize(new
        {
            labels = starts.Select(s => DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime.ToString("MM-dd HH:00", CultureInfo.InvariantCulture)),
            datasets = Series(LatencyP50, "p50").Concat(Series(LatencyP95, "p95")),
        });
    }
}
