using Grpc.Core;
using VoicePlatform.Contracts.Billing;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>BillingUsage over gRPC, on ledger rows recorded through the real bus.</summary>
[Collection(BillingCollection.Name)]
public class UsageApiTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Oct30 = new(2026, 10, 30, 23, 59, 59, TimeSpan.Zero);
    private static readonly DateTimeOffset Oct31 = new(2026, 10, 31, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Nov1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly LedgerProbe _ledger = new(fixture);

    /// <summary>Two days of October, two models, two sessions, and one event on 1 November.</summary>
    private async Task<Guid> RecordMonthAsync()
    {
        var tenant = Guid.NewGuid();
        await _ledger.RecordAsync(
            UsageEvent(tenant, "sess_a", "gpt-realtime-2", Oct30, inputAudio: 1_000, outputAudio: 500, connectionMs: 30_000),      // 0.064
            UsageEvent(tenant, "sess_a", "gpt-realtime-2", Oct31, cachedInputAudio: 10_000, outputText: 250, connectionMs: 60_000),  // 0.008
            UsageEvent(tenant, "sess_b", "gemini-3.1-flash-live", Oct31, inputAudio: 2_000, outputAudio: 1_000),                     // 0.018
            UsageEvent(tenant, "sess_c", "gemini-3.1-flash-live", Nov1, inputText: 1_000_000));                                      // 0.5
        return tenant;
    }

    private static GetUsageRequest October(Guid tenant, string groupBy) => new()
    {
        TenantId = tenant.ToString(),
        FromUnixMs = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ToUnixMs = Nov1.ToUnixTimeMilliseconds(),
        GroupBy = groupBy,
    };

    [Fact]
    public async Task Usage_is_grouped_by_day_model_and_session()
    {
        var tenant = await RecordMonthAsync();

        var byDay = await fixture.Usage.GetUsageAsync(October(tenant, "day"));
        Assert.Equal(["2026-10-30", "2026-10-31"], byDay.Rows.Select(r => r.Key));
        Assert.Equal(["0.064", "0.026"], byDay.Rows.Select(r => r.CostUsd));
        Assert.Equal("0.09", byDay.TotalCostUsd); // 1 November is outside [from, to)
        Assert.Equal(2, byDay.Rows[1].Events);
        Assert.Equal(2_000, byDay.Rows[1].Tokens.InputAudio);
        Assert.Equal(10_000, byDay.Rows[1].Tokens.CachedInputAudio);

        var byModel = await fixture.Usage.GetUsageAsync(October(tenant, "model"));
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], byModel.Rows.Select(r => r.Key));
        Assert.Equal(["0.018", "0.072"], byModel.Rows.Select(r => r.CostUsd));
        Assert.Equal(90_000, byModel.Rows[1].ConnectionMs);
        Assert.Equal(250, byModel.Rows[1].Tokens.OutputText);

        var bySession = await fixture.Usage.GetUsageAsync(October(tenant, "session"));
        Assert.Equal(["sess_a", "sess_b"], bySession.Rows.Select(r => r.Key));
        Assert.Equal(["0.072", "0.018"], bySession.Rows.Select(r => r.CostUsd));
    }

    [Fact]
    public async Task Session_cost_has_duration_and_cost_per_minute()
    {
        var tenant = await RecordMonthAsync();

        var cost = await fixture.Usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = tenant.ToString(), SessionId = "sess_a" });

        Assert.Equal("0.072", cost.CostUsd);
        Assert.Equal(90_000, cost.DurationMs);
        Assert.Equal("0.048", cost.CostPerMinuteUsd); // 0.072 / 1.5 min
        Assert.Equal(["gpt-realtime-2"], cost.Models);
        Assert.Equal(2, cost.Events);
        Assert.Equal(Oct30.ToUnixTimeMilliseconds(), cost.FirstUsageUnixMs);
        Assert.Equal(Oct31.ToUnixTimeMilliseconds(), cost.LastUsageUnixMs);

        var noDuration = await fixture.Usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = tenant.ToString(), SessionId = "sess_b" });
        Assert.Equal("", noDuration.CostPerMinuteUsd);

        // 43 ms of connection is no basis for a per-minute figure (it would read $40 a minute here): none below 10 s.
        var brief = Guid.NewGuid();
        await _ledger.RecordAsync(UsageEvent(brief, "sess_brief", "gpt-realtime-2", Oct30, outputAudio: 450, connectionMs: 43));
        var briefCost = await fixture.Usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = brief.ToString(), SessionId = "sess_brief" });
        Assert.Equal((43L, ""), (briefCost.DurationMs, briefCost.CostPerMinuteUsd));
        await _ledger.RecordAsync(UsageEvent(brief, "sess_ten", "gpt-realtime-2", Oct30, outputAudio: 450, connectionMs: 10_000));
        var tenSeconds = await fixture.Usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = brief.ToString(), SessionId = "sess_ten" });
        Assert.NotEqual("", tenSeconds.CostPerMinuteUsd);
    }

    [Fact]
    public async Task Monthly_statement_has_a_line_per_model_and_the_total()
    {
        var tenant = await RecordMonthAsync();

        var october = await fixture.Usage.GetMonthlyStatementAsync(new GetMonthlyStatementRequest { TenantId = tenant.ToString(), Year = 2026, Month = 10 });
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], october.Lines.Select(l => l.Model));
        Assert.Equal(["0.018", "0.072"], october.Lines.Select(l => l.CostUsd));
        Assert.Equal("0.09", october.TotalUsd);
        Assert.Equal(Nov1.ToUnixTimeMilliseconds(), october.PeriodEndUnixMs);

        var november = await fixture.Usage.GetMonthlyStatementAsync(new GetMonthlyStatementRequest { TenantId = tenant.ToString(), Year = 2026, Month = 11 });
        Assert.Equal("0.5", Assert.Single(november.Lines).CostUsd);

        var empty = await fixture.Usage.GetMonthlyStatementAsync(new GetMonthlyStatementRequest { TenantId = tenant.ToString(), Year = 2026, Month = 9 });
        Assert.Empty(empty.Lines);
        Assert.Equal("0", empty.TotalUsd);
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found_and_its_usage_invisible()
    {
        var owner = await RecordMonthAsync();
        var other = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = other.ToString(), SessionId = "sess_a" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Empty((await fixture.Usage.GetUsageAsync(October(other, "session"))).Rows);
        Assert.NotEmpty((await fixture.Usage.GetUsageAsync(October(owner, "session"))).Rows);
    }

    [Theory]
    [InlineData("week", 0, 1)]
    [InlineData("day", 5, 5)]
    [InlineData("day", 6, 5)]
    public async Task Bad_grouping_or_period_is_invalid_argument(string groupBy, long from, long to)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Usage.GetUsageAsync(
            new GetUsageRequest { TenantId = Guid.NewGuid().ToString(), FromUnixMs = from, ToUnixMs = to, GroupBy = groupBy }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task A_bad_month_or_tenant_is_invalid_argument()
    {
        var month = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Usage.GetMonthlyStatementAsync(
            new GetMonthlyStatementRequest { TenantId = Guid.NewGuid().ToString(), Year = 2026, Month = 13 }));
        Assert.Equal(StatusCode.InvalidArgument, month.StatusCode);
        var tenant = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Usage.GetSessionCostAsync(
            new GetSessionCostRequest { TenantId = "acme", SessionId = "sess_a" }));
        Assert.Equal(StatusCode.InvalidArgument, tenant.StatusCode);
    }
}
