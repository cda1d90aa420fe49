using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.Insights;

[Collection(InsightsServiceCollection.Name)]
public class InsightsApiTests(InsightsApiTestContext context)
{
    private static readonly DateTimeOffset Recent = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-20);
    private static readonly QualityDimensions Gpt = new("gpt-realtime-2", "openai", "support", "exp_1", "control");
    private static readonly QualityDimensions Gemini = new("gemini-3.1-flash-live", "google", "support", "exp_1", "treatment");

    [Fact]
    public async Task Summary_grouped_by_model_with_percentiles_and_rates()
    {
        var (tenant, client) = await context.NewTenantAsync();
        using var _ = client;
        var a = await PublishSessionAsync(tenant, Gpt, Recent, [400, 500, 600], interruptedFirst: true);
        await PublishSessionAsync(tenant, Gemini, Recent.AddHours(2), [250]);
        await Poll.UntilAsync(() => CountsAsync(client), n => n == (4, 2), TimeSpan.FromSeconds(30));

        var from = Recent.AddHours(-1).ToUnixTimeSeconds();
        var summary = await client.GetFromJsonAsync<JsonElement>($"/v1/insights/summary?group_by=model&from={from}");
        Assert.Equal("insights.summary", summary.GetProperty("object").GetString());
        Assert.Equal(from, summary.GetProperty("from").GetInt64());
        var groups = summary.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], groups.Select(g => g.GetProperty("key").GetString()));
        var gpt = groups[1];
        Assert.Equal(3, gpt.GetProperty("turns").GetInt64());
        Assert.Equal(1, gpt.GetProperty("sessions").GetInt64());
        var p50 = gpt.GetProperty("response_latency_ms").GetProperty("p50").GetInt64();
        Assert.InRange(p50, 500, 505); // the sketch's precision: 2 significant digits
        Assert.Equal(3, gpt.GetProperty("response_latency_ms").GetProperty("count").GetInt64());
        Assert.Equal(1.0 / 3, gpt.GetProperty("interruption_rate").GetDouble(), 5);
        Assert.Equal(JsonValueKind.Null, gpt.GetProperty("tool_failure_rate").ValueKind); // no tool calls: no rate

        var filtered = await client.GetFromJsonAsync<JsonElement>($"/v1/insights/summary?group_by=arm&experiment=exp_1&model=gemini-3.1-flash-live&from={from}");
        Assert.Equal(["treatment"], filtered.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("key").GetString()));

        var series = await client.GetFromJsonAsync<JsonElement>($"/v1/insights/timeseries?metric=turns&interval=hour&from={from}");
        var points = Assert.Single(series.GetProperty("data").EnumerateArray()).GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([3.0, 1.0], points.Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal([Recent.ToUnixTimeSeconds(), Recent.AddHours(2).ToUnixTimeSeconds()], points.Select(p => p.GetProperty("start").GetInt64()));

        var quality = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{a}/quality");
        Assert.Equal("session.quality", quality.GetProperty("object").GetString());
        Assert.Equal(a, quality.GetProperty("id").GetString());
        Assert.Equal("control", quality.GetProperty("experiment_arm").GetString());
        Assert.Equal([400L, 500L, 600L], quality.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("response_latency_ms").GetInt64()));
        Assert.True(quality.GetProperty("turns")[0].GetProperty("interrupted").GetBoolean());
        Assert.Equal(3, quality.GetProperty("turn_count").GetInt32());
        Assert.Equal("client_closed", quality.GetProperty("end_category").GetString());
    }

    [Fact]
    public async Task Another_tenants_session_is_a_404_like_a_missing_one()
    {
        var (owner, ownerClient) = await context.NewTenantAsync("owner");
        var (_, otherClient) = await context.NewTenantAsync("other");
        using var a = ownerClient;
        using var b = otherClient;
        var session = await PublishSessionAsync(owner, Gpt, Recent, [300]);
        await Poll.UntilAsync(() => ownerClient.GetAsync($"/v1/sessions/{session}/quality"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        await AssertErrorAsync(await otherClient.GetAsync($"/v1/sessions/{session}/quality"), HttpStatusCode.NotFound, "session_not_found", "id");
        await AssertErrorAsync(await ownerClient.GetAsync("/v1/sessions/sess_nope/quality"), HttpStatusCode.NotFound, "session_not_found", "id");
        using var anonymous = context.Gateway.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/insights/summary")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/insights/summary?group_by=planet", "group_by")]
    [InlineData("/v1/insights/summary?from=yesterday", "from")]
    [InlineData("/v1/insights/summary?to=-3", "to")]
    [InlineData("/v1/insights/summary?from=1700000000&to=1600000000", "to")]
    [InlineData("/v1/insights/summary?from=1600000000&to=1700000000", "from")] // more than 400 days
    [InlineData("/v1/insights/timeseries", "metric")]
    [InlineData("/v1/insights/timeseries?metric=vibes", "metric")]
    [InlineData("/v1/insights/timeseries?metric=turns&interval=week", "interval")]
    [InlineData("/v1/insights/timeseries?metric=turns&group_by=day", "group_by")]
    [InlineData("/v1/insights/timeseries?metric=turns&interval=hour&from=1700000000&to=1703000000", "from")] // hourly: at most 31 days
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter(string url, string param)
    {
        var (_, client) = await context.NewTenantAsync();
        using var _ = client;
        await AssertErrorAsync(await client.GetAsync(url), HttpStatusCode.BadRequest, "invalid_value", param);
    }

    [Fact]
    public async Task An_overlong_filter_is_a_400()
    {
        var (_, client) = await context.NewTenantAsync();
        using var _ = client;
        await AssertErrorAsync(await client.GetAsync($"/v1/insights/summary?model={new string('m', 201)}"), HttpStatusCode.BadRequest, "invalid_value", "model");
    }

    private async Task<string> PublishSessionAsync(Guid tenant, QualityDimensions dims, DateTimeOffset start, long[] latencies, bool interruptedFirst = false)
    {
        var session = $"sess_{Guid.NewGuid():N}";
        for (var i = 0; i < latencies.Length; i++)
        {
            var interrupted = interruptedFirst && i == 0;
            await context.Bus.Publish(new TurnMeasured(EventIds.For("turn", session, $"r{i}"), tenant, session, dims, $"r{i}", start.AddSeconds(10 * (i + 1)),
                "server_vad", 1_000 + 10_000 * i, latencies[i], latencies[i] / 2, "completed", 2_000, interrupted, interrupted ? 700 : null, 0, []));
        }
        await context.Bus.Publish(new SessionMeasured(EventIds.For("session-measured", session, "c1"), tenant, session, "c1", dims, start,
            60_000, latencies.Length, 5_000, 2_000 * latencies.Length, interruptedFirst ? 1 : 0, 0, 0, 0, 0, "client_closed"));
        return session;
    }

    /// <summary>Turns and sessions counted so far (the events travel through RabbitMQ).</summary>
    private static async Task<(long Turns, long Sessions)> CountsAsync(HttpClient client)
    {
        var summary = await client.GetFromJsonAsync<JsonElement>($"/v1/insights/summary?from={Recent.AddHours(-1).ToUnixTimeSeconds()}");
        var groups = summary.GetProperty("data").EnumerateArray().ToList();
        return groups.Count == 0 ? (0, 0) : (groups[0].GetProperty("turns").GetInt64(), groups[0].GetProperty("sessions").GetInt64());
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        using var _ = response;
        Assert.Equal(status, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
