using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Console.Tests;
using VoicePlatform.Console.Tests.Browser;
using VoicePlatform.Console.Tests.Performance;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Bench.ConsoleOverviewBenchmark;

/// <summary>One tenant's Overview: its sessions seeded through the services' own consumers, then first renders timed in the browser.</summary>
public static class OverviewRender
{
    public sealed record Measured(int Sessions, TimeSpan Seeding, IReadOnlyList<double> RenderMs);

    public static async Task<Measured> MeasureAsync(ConsolePlatform platform, string tenantName, int sessions, int runs)
    {
        var (tenantId, key) = await platform.CreateTenantAsync(tenantName);
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        await SessionSeeder.PublishAsync(platform.Endpoints.ConnectionStrings["rabbitmq"], tenantId, sessions, DateTimeOffset.UtcNow);

        // Every service has stored them: Insights counts the sessions, Billing their usage, Transcripts lists the newest.
        using var gateway = RecordedSessions.Gateway(platform, key);
        var stored = await Poll.UntilAsync(() => StoredAsync(gateway, sessions), s => s.Insights >= sessions && s.Billing >= sessions && s.Newest,
            TimeSpan.FromMinutes(10));
        if (!(stored.Insights >= sessions && stored.Billing >= sessions && stored.Newest))
            throw new InvalidOperationException($"{tenantName}: not every session was stored: {stored}");
        seeding.Stop();

        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(key);
        var timings = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await browser.GotoAsync("/");
            await browser.Page.GetByTestId("overview-cards").WaitForAsync();
            await browser.Page.GetByText("Sessions (24 h)").WaitForAsync();
            // Navigation start → the server-rendered Overview painted (its HTML fully received and first contentful paint).
            timings.Add(await browser.Page.EvaluateAsync<double>("""
                () => Math.max(performance.getEntriesByType('navigation')[0].responseEnd,
                               performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Infinity)
                """));
        }
        var cards = await browser.Page.GetByTestId("overview-cards").InnerTextAsync();
        if (!cards.Contains(sessions.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            throw new InvalidOperationException($"{tenantName}: the Overview does not show {sessions} sessions: {cards}");
        browser.AssertNoConsoleErrors();
        return new Measured(sessions, seeding.Elapsed, timings);
    }

    private static async Task<(long Insights, long Billing, bool Newest)> StoredAsync(HttpClient gateway, int sessions)
    {
        var now = DateTimeOffset.UtcNow;
        var from = now.AddHours(-25).ToUnixTimeSeconds();
        var to = now.AddHours(1).ToUnixTimeSeconds();
        var summary = await gateway.GetFromJsonAsync<JsonElement>($"/v1/insights/summary?from={from}&to={to}");
        var insights = summary.GetProperty("data").EnumerateArray().Sum(g => g.GetProperty("sessions").GetInt64());
        var usage = await gateway.GetFromJsonAsync<JsonElement>($"/v1/usage?from={from}&to={to}&group_by=day");
        var billing = usage.GetProperty("data").EnumerateArray().Sum(b => b.GetProperty("sessions").GetInt64());
        var newest = await gateway.GetFromJsonAsync<JsonElement>("/v1/sessions?limit=1");
        var hasNewest = newest.GetProperty("data").EnumerateArray()
            .Any(s => s.GetProperty("id").GetString()!.EndsWith($"{sessions - 1:D5}", StringComparison.Ordinal));
        return (insights, billing, hasNewest);
    }
}
