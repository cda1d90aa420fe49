using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VoicePlatform.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// A metric keeps at most <c>Telemetry:MetricCardinalityLimit</c> series; the rest are counted in one overflow series
/// (the limit bounds the memory each metric preallocates).
/// </summary>
public sealed class MetricCardinalityTests
{
    [Fact]
    public async Task Tag_combinations_beyond_the_limit_are_counted_in_one_overflow_series()
    {
        var scrape = await ScrapeAfterCountingAsync("voiceplatform.tests.limited", distinctTags: 30, limit: "10");

        var series = SeriesOf(scrape, "voiceplatform_tests_limited_total");
        Assert.InRange(series.Length, 2, 11); // the limit, give or take the overflow series itself
        var overflow = Assert.Single(series, line => line.Contains("otel_metric_overflow=\"true\""));
        // Every one of the 30 adds is counted: in its own series or in the overflow's.
        Assert.Equal(30, series.Sum(line => (int)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain("tag=\"29\"", string.Join('\n', series.Except([overflow])));
    }

    [Fact]
    public async Task The_default_limit_keeps_every_series_of_a_metric_with_a_few_hundred()
    {
        var scrape = await ScrapeAfterCountingAsync("voiceplatform.tests.default", distinctTags: 300, limit: null);

        var series = SeriesOf(scrape, "voiceplatform_tests_default_total");
        Assert.Equal(300, series.Length);
        Assert.DoesNotContain(series, line => line.Contains("otel_metric_overflow"));
    }

    private static string[] SeriesOf(string scrape, string name) =>
        scrape.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal)).ToArray();

    private static async Task<string> ScrapeAfterCountingAsync(string instrument, int distinctTags, string? limit)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "VoicePlatform.ServiceDefaults.Tests", EnvironmentName = "Development" });
        if (limit is not null) builder.Configuration["Telemetry:MetricCardinalityLimit"] = limit;
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http1; http = listen; }));
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();

        using var meter = new Meter("VoicePlatform.Tests." + instrument);
        var counter = meter.CreateCounter<long>(instrument);
        for (var i = 0; i < distinctTags; i++) counter.Add(1, new KeyValuePair<string, object?>("tag", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var client = new HttpClient();
        var scrape = await client.GetStringAsync($"http://127.0.0.1:{http!.IPEndPoint!.Port}/metrics");
        await app.StopAsync();
        return scrape;
    }
}
