using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Contracts.Events;
using VoicePlatform.TestSupport;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Gateway.Tests.Billing;

/// <summary>/v1/usage, /v1/sessions/{id}/cost and /v1/billing/statements through the real Gateway and Billing services.</summary>
[Collection(BillingApiCollection.Name)]
public class BillingApiTests(BillingApiTestContext context)
{
    private static readonly DateTimeOffset Oct30 = new(2026, 10, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Oct31 = new(2026, 10, 31, 12, 0, 0, TimeSpan.Zero);

    private async Task<(Guid TenantId, HttpClient Client)> TenantWithOctoberUsageAsync()
    {
        var (tenantId, client) = await context.NewTenantAsync();
        await context.RecordAsync(client,
            // 1,234,567×32 + 333,333×0.40 + 987,654×64 per 1M = 102.8493332
            UsageEvent(tenantId, "sess_rest_a", "gpt-realtime-2", Oct30, inputAudio: 1_234_567, cachedInputAudio: 333_333, outputAudio: 987_654, connectionMs: 120_000),
            // 2,000×3 + 1,000×12 per 1M = 0.018
            UsageEvent(tenantId, "sess_rest_b", "gemini-3.1-flash-live", Oct31, inputAudio: 2_000, outputAudio: 1_000));
        return (tenantId, client);
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param = null)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Usage_grouped_by_model_day_and_session_with_money_as_decimal_strings()
    {
        var (_, tenant) = await TenantWithOctoberUsageAsync();

        var byModel = await OkJsonAsync(await tenant.GetAsync("/v1/usage?from=2026-10-01&to=2026-11-01&group_by=model"));
        Assert.Equal("list", byModel.GetProperty("object").GetString());
        Assert.Equal("model", byModel.GetProperty("group_by").GetString());
        var rows = byModel.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], rows.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.String, rows[1].GetProperty("cost_usd").ValueKind);
        Assert.Equal(["0.018", "102.8493332"], rows.Select(r => r.GetProperty("cost_usd").GetString()));
        Assert.Equal(333_333, rows[1].GetProperty("tokens").GetProperty("cached_input_audio").GetInt64());
        Assert.Equal("102.8673332", byModel.GetProperty("total_cost_usd").GetString());

        var byDay = await OkJsonAsync(await tenant.GetAsync("/v1/usage?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&group_by=day"));
        Assert.Equal(["2026-10-30", "2026-10-31"], byDay.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("key").GetString()));

        // Half-open period: a `to` of 31 October excludes that day. Unix seconds work too.
        var bySession = await OkJsonAsync(await tenant.GetAsync($"/v1/usage?from=2026-10-01&to={new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()}&group_by=session"));
        Assert.Equal("sess_rest_a", Assert.Single(bySession.GetProperty("data").EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task Usage_grouped_by_arm_within_one_experiment_and_the_experiment_filter_on_other_groupings()
    {
        var (tenantId, tenant) = await context.NewTenantAsync();
        const string experiment = "exp_0123456789abcdef01234567";
        await context.PublishAsync(
            Started(tenantId, "sess_arm_a", experiment, "control"),
            Started(tenantId, "sess_arm_b", experiment, "treatment"),
            Started(tenantId, "sess_arm_c", experiment, "treatment"),
            Started(tenantId, "sess_other", "exp_another", "control"));
        await context.RecordAsync(tenant,
            UsageEvent(tenantId, "sess_arm_a", "gpt-realtime-2", Oct30, inputAudio: 1_000, outputAudio: 500, connectionMs: 60_000), // 0.064
            UsageEvent(tenantId, "sess_arm_b", "gpt-realtime-2", Oct30, outputText: 1_000),                                     // 0.016
            UsageEvent(tenantId, "sess_arm_c", "gpt-realtime-2", Oct31, inputAudio: 1_000),                                     // 0.032
            UsageEvent(tenantId, "sess_other", "gpt-realtime-2", Oct31, inputAudio: 10_000));                                   // 0.32

        // SessionStarted travels on its own queue: wait until all three sessions of the experiment are grouped.
        var byArm = await Poll.UntilAsync(
            async () => await OkJsonAsync(await tenant.GetAsync($"/v1/usage?from=2026-10-01&to=2026-11-01&group_by=arm&experiment={experiment}")),
            report => report.GetProperty("data").EnumerateArray().Sum(b => b.GetProperty("sessions").GetInt64()) == 3, TimeSpan.FromSeconds(20));
        Assert.Equal("arm", byArm.GetProperty("group_by").GetString());
        Assert.Equal(experiment, byArm.GetProperty("experiment_id").GetString());
        var arms = byArm.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["control", "treatment"], arms.Select(b => b.GetProperty("key").GetString()));
        Assert.Equal(["usage.bucket", "usage.bucket"], arms.Select(b => b.GetProperty("object").GetString()));
        Assert.Equal(["0.064", "0.048"], arms.Select(b => b.GetProperty("cost_usd").GetString()));
        Assert.Equal([1L, 2L], arms.Select(b => b.GetProperty("sessions").GetInt64()));
        Assert.Equal([1L, 2L], arms.Select(b => b.GetProperty("events").GetInt64()));
        Assert.Equal(60_000, arms[0].GetProperty("connection_ms").GetInt64());
        Assert.Equal(500, arms[0].GetProperty("tokens").GetProperty("output_audio").GetInt64());
        Assert.Equal("0.112", byArm.GetProperty("total_cost_usd").GetString());

        var byDay = await OkJsonAsync(await tenant.GetAsync($"/v1/usage?from=2026-10-01&to=2026-11-01&group_by=day&experiment={experiment}"));
        Assert.Equal(["0.08", "0.032"], byDay.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("cost_usd").GetString()));
        var all = await OkJsonAsync(await tenant.GetAsync("/v1/usage?from=2026-10-01&to=2026-11-01&group_by=model"));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("experiment_id").ValueKind);
        Assert.Equal(4, Assert.Single(all.GetProperty("data").EnumerateArray()).GetProperty("sessions").GetInt64());
        Assert.Equal("0.432", all.GetProperty("total_cost_usd").GetString());
    }

    private static SessionStarted Started(Guid tenant, string session, string experimentId, string arm) =>
        new(Guid.NewGuid(), tenant, session, "gpt-realtime-2", "openai", arm, "openai-realtime", Oct30, "support-voice", experimentId);

    [Fact]
    public async Task Session_cost_and_cost_per_minute()
    {
        var (_, tenant) = await TenantWithOctoberUsageAsync();

        var cost = await OkJsonAsync(await tenant.GetAsync("/v1/sessions/sess_rest_a/cost"));

        Assert.Equal("session.cost", cost.GetProperty("object").GetString());
        Assert.Equal("102.8493332", cost.GetProperty("cost_usd").GetString());
        Assert.Equal(120_000, cost.GetProperty("duration_ms").GetInt64());
        Assert.Equal("51.424667", cost.GetProperty("cost_per_minute_usd").GetString()); // 102.8493332 / 2 min, to 6 places
        Assert.Equal(["gpt-realtime-2"], cost.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(Oct30.ToUnixTimeSeconds(), cost.GetProperty("first_usage_at").GetInt64());
    }

    [Fact]
    public async Task Monthly_statement()
    {
        var (_, tenant) = await TenantWithOctoberUsageAsync();

        var statement = await OkJsonAsync(await tenant.GetAsync("/v1/billing/statements/2026-10"));

        Assert.Equal("billing.statement", statement.GetProperty("object").GetString());
        Assert.Equal("2026-10", statement.GetProperty("period").GetString());
        Assert.Equal(["0.018", "102.8493332"], statement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("cost_usd").GetString()));
        Assert.Equal("102.8673332", statement.GetProperty("total_usd").GetString());

        var empty = await OkJsonAsync(await tenant.GetAsync("/v1/billing/statements/2026-09"));
        Assert.Empty(empty.GetProperty("lines").EnumerateArray());
        Assert.Equal("0", empty.GetProperty("total_usd").GetString());
    }

    [Fact]
    public async Task Another_tenants_session_is_404_and_its_usage_invisible()
    {
        await TenantWithOctoberUsageAsync();
        var (_, other) = await context.NewTenantAsync("Other tenant");

        await AssertErrorAsync(await other.GetAsync("/v1/sessions/sess_rest_a/cost"), HttpStatusCode.NotFound, "session_not_found", "id");
        await AssertErrorAsync(await other.GetAsync("/v1/sessions/never_existed/cost"), HttpStatusCode.NotFound, "session_not_found", "id");
        var usage = await OkJsonAsync(await other.GetAsync("/v1/usage?from=2026-10-01&to=2026-11-01&group_by=session"));
        Assert.Empty(usage.GetProperty("data").EnumerateArray());
        Assert.Equal("0", usage.GetProperty("total_cost_usd").GetString());
    }

    [Theory]
    [InlineData("/v1/usage?group_by=week", "group_by")]
    [InlineData("/v1/usage?from=yesterday", "from")]
    [InlineData("/v1/usage?from=2026-10-01&to=2026-13-01", "to")]
    [InlineData("/v1/usage?from=2026-11-01&to=2026-10-01", "from")]
    [InlineData("/v1/usage?from=2026-10-01&to=2026-10-01", "from")]
    [InlineData("/v1/usage?group_by=arm", "experiment")]
    [InlineData("/v1/usage?group_by=arm&experiment=", "experiment")]
    [InlineData("/v1/usage?group_by=model&experiment=exp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "experiment")]
    [InlineData("/v1/billing/statements/2026-13", "period")]
    [InlineData("/v1/billing/statements/2026-1", "period")]
    [InlineData("/v1/billing/statements/october", "period")]
    public async Task Bad_periods_and_groupings_are_400(string url, string param)
    {
        var (_, tenant) = await context.NewTenantAsync();

        await AssertErrorAsync(await tenant.GetAsync(url), HttpStatusCode.BadRequest, "invalid_value", param);
    }

    [Fact]
    public async Task Defaults_are_the_last_30_days_grouped_by_day()
    {
        var (_, tenant) = await context.NewTenantAsync();

        var usage = await OkJsonAsync(await tenant.GetAsync("/v1/usage"));

        Assert.Equal("day", usage.GetProperty("group_by").GetString());
        Assert.Equal(TimeSpan.FromDays(30), usage.GetProperty("to").GetDateTimeOffset() - usage.GetProperty("from").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("/v1/usage")]
    [InlineData("/v1/sessions/sess_rest_a/cost")]
    [InlineData("/v1/billing/statements/2026-10")]
    public async Task Without_a_tenant_key_it_is_401(string url)
    {
        using var anonymous = context.Gateway.CreateClient();

        await AssertErrorAsync(await anonymous.GetAsync(url), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task The_endpoints_are_in_the_OpenAPI_document()
    {
        using var client = context.Gateway.CreateClient();

        var paths = (await OkJsonAsync(await client.GetAsync("/openapi/v1.json"))).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/v1/usage", out var usage));
        Assert.Contains(usage.GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "group_by");
        Assert.Contains(usage.GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "experiment");
        Assert.True(paths.TryGetProperty("/v1/sessions/{id}/cost", out _));
        Assert.True(paths.TryGetProperty("/v1/billing/statements/{period}", out _));
    }
}
