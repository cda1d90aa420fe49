using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.EndToEnd.Tests.Realtime.Limits;
using VoicePlatform.EndToEnd.Tests.Routing;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Insights;

/// <summary>
/// Experiment statistics end to end: the emulator answers <c>gpt-realtime-mini</c> 300 ms later than
/// <c>gpt-realtime-2</c> (EndToEndPlatform), sessions run through the Gateway, the Gateway measures each response's
/// latency on the client's timeline, Insights keeps per-session facts, and <c>/v1/experiments/{id}/results</c> compares
/// the arms: the slower arm is significantly slower, with the right sign; an A/A experiment is not significant.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ExperimentResultsTests(EndToEndPlatform platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private const int SessionsPerArm = 62;
    private const string Latency = "response_latency_ms";

    [Fact]
    public async Task The_slower_model_is_significantly_slower_and_an_A_A_experiment_is_not()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "experiment-results");
        await TenantRouting.CreateRouteAsync(tenant, """{"name":"latency-ab","target":"gpt-realtime-2"}""");
        await TenantRouting.CreateRouteAsync(tenant, """{"name":"latency-aa","target":"gpt-realtime-2"}""");
        var ab = await TenantRouting.StartExperimentAsync(tenant, """
            { "name": "fast-vs-slow", "route": "latency-ab",
              "arms": [ {"name": "control", "target": "gpt-realtime-2", "weight": 1}, {"name": "mini", "target": "gpt-realtime-mini", "weight": 1} ] }
            """);
        var aa = await TenantRouting.StartExperimentAsync(tenant, """
            { "name": "same-model", "route": "latency-aa",
              "arms": [ {"name": "a", "target": "gpt-realtime-2", "weight": 1}, {"name": "b", "target": "gpt-realtime-2", "weight": 1} ] }
            """);

        // Both experiments' sessions interleaved, so a change of machine load touches every arm alike.
        await Task.WhenAll(RunUntilEachArmHasAsync(tenant, "latency-ab", "ab"), RunUntilEachArmHasAsync(tenant, "latency-aa", "aa"));

        using var http = tenant.Http();
        var abResults = await ResultsOnceCountedAsync(http, ab);
        var mini = Arm(abResults, "mini");
        var versus = mini.GetProperty("versus_control").EnumerateArray().Single(c => c.Str("metric") == Latency);
        var detail = abResults.GetRawText();
        output.WriteLine($"A/B: control {Mean(Arm(abResults, "control")):0} ms, mini {Mean(mini):0} ms, difference {versus.GetProperty("difference").GetDouble():0} ms, p = {versus.GetProperty("p_value").GetDouble():G3}");
        Assert.Equal("welch_t", versus.Str("test"));
        Assert.True(versus.GetProperty("p_value").GetDouble() < 0.01, detail);
        Assert.True(versus.GetProperty("difference").GetDouble() > 150, detail); // 300 ms later, less noise; the sign: mini is slower
        Assert.True(versus.GetProperty("ci_low").GetDouble() > 0, detail);
        Assert.True(Mean(Arm(abResults, "control")) < Mean(mini), detail);
        Assert.False(abResults.GetProperty("sample_ratio").GetProperty("mismatch").GetBoolean(), detail);

        // A/A: under the null a p-value is uniform, so any fixed threshold fails that share of runs; 0.001 keeps this
        // test from failing more than once in a thousand runs while a real 300 ms effect gives p far below it.
        var aaResults = await ResultsOnceCountedAsync(http, aa);
        var same = Arm(aaResults, "b").GetProperty("versus_control").EnumerateArray().Single(c => c.Str("metric") == Latency);
        output.WriteLine($"A/A: a {Mean(Arm(aaResults, "a")):0} ms, b {Mean(Arm(aaResults, "b")):0} ms, p = {same.GetProperty("p_value").GetDouble():G3}");
        Assert.True(same.GetProperty("p_value").GetDouble() > 0.001, aaResults.GetRawText());
        Assert.True(same.GetProperty("ci_low").GetDouble() < 100 && same.GetProperty("ci_high").GetDouble() > -100, aaResults.GetRawText());
    }

    [Fact]
    public async Task Bad_requests_name_their_parameter_and_another_tenants_experiment_is_not_found()
    {
        var owner = await LimitedTenant.CreateAsync(platform, "results-owner");
        var stranger = await LimitedTenant.CreateAsync(platform, "results-stranger");
        await TenantRouting.CreateRouteAsync(owner, """{"name":"results-route","target":"gpt-realtime-2"}""");
        var experiment = await TenantRouting.StartExperimentAsync(owner, """
            { "name": "two", "route": "results-route", "arms": [ {"name": "a", "target": "gpt-realtime-2", "weight": 1}, {"name": "b", "target": "gpt-realtime-mini", "weight": 1} ] }
            """);
        using var http = owner.Http();
        // No sessions yet: every arm is reported, empty, with insufficient data and no p-value.
        var empty = await http.GetFromJsonAsync<JsonElement>($"/v1/experiments/{experiment}/results?control=b");
        Assert.Equal("b", empty.Str("control_arm"));
        Assert.All(empty.GetProperty("arms").EnumerateArray(), a => Assert.True(a.GetProperty("insufficient_data").GetBoolean()));
        foreach (var (query, param) in new[] { ("control=c", "control"), ("min_sessions=1", "min_sessions"), ("min_sessions=x", "min_sessions") })
        {
            using var bad = await http.GetAsync($"/v1/experiments/{experiment}/results?{query}");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(param, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Str("param"));
        }
        using var strangers = stranger.Http();
        using var hidden = await strangers.GetAsync($"/v1/experiments/{experiment}/results");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("experiment_not_found", (await hidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Str("code"));
    }

    /// <summary>Sessions of new subjects on <paramref name="route"/>, eight at a time, until every arm has had enough.</summary>
    private async Task RunUntilEachArmHasAsync(LimitedTenant tenant, string route, string prefix)
    {
        var perArm = new ConcurrentDictionary<string, int>();
        var next = 0;
        while (perArm.Count < 2 || perArm.Values.Any(n => n < SessionsPerArm))
        {
            var batch = Enumerable.Range(Interlocked.Add(ref next, 8) - 8, 8);
            await Parallel.ForEachAsync(batch, async (i, _) =>
            {
                var arm = await OneTurnAsync(tenant, route, $"{prefix}-subject-{i}");
                perArm.AddOrUpdate(arm, 1, (_, n) => n + 1);
            });
            Assert.True(next < 400, $"{next} sessions and still not {SessionsPerArm} per arm: {string.Join(", ", perArm)}");
        }
    }

    private async Task<string> OneTurnAsync(LimitedTenant tenant, string route, string subject)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(TenantRouting.RealtimeUri(platform.Endpoints.Gateway, route, $"user={subject}"), tenant.ApiKey);
        var arm = (await client.ExpectAsync("session.created", Turn)).GetProperty("routing").Str("arm");
        await RealtimeConversationTests.SendUserTextAsync(client, "hello");
        var events = await client.CollectUntilAsync("response.done", Turn);
        Assert.Contains(events, e => e.Type() == "response.output_audio.delta");
        return arm;
    }

    /// <summary>The results once Insights has every arm's sessions (facts arrive through the outbox and the bus).</summary>
    private static async Task<JsonElement> ResultsOnceCountedAsync(HttpClient http, string experiment) =>
        await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/experiments/{experiment}/results"),
            r => r.GetProperty("arms").EnumerateArray().All(a => a.GetProperty("sessions").GetInt32() >= SessionsPerArm),
            TimeSpan.FromSeconds(60));

    private static JsonElement Arm(JsonElement results, string name) =>
        results.GetProperty("arms").EnumerateArray().Single(a => a.Str("name") == name);

    private static double Mean(JsonElement arm) =>
        arm.GetProperty("metrics").EnumerateArray().Single(m => m.Str("metric") == Latency).GetProperty("mean").GetDouble();
}
