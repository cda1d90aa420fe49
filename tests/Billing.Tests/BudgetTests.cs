using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Contracts.Events;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// Monthly budgets over gRPC: SetBudget's validation, and CheckBudget against month-to-date spend recorded through the
/// real bus into the real ledger. Real time: the current UTC month is read from the service's own answer.
/// </summary>
[Collection(BillingCollection.Name)]
public class BudgetTests(BillingServiceFixture fixture)
{
    private readonly AccountProbe _accounts = new(fixture);
    private readonly LedgerProbe _ledger = new(fixture);

    private BillingAccounts.BillingAccountsClient Client => fixture.Client;

    private Task<Account> SetBudgetAsync(Guid tenantId, string amount, string mode = "") =>
        Client.SetBudgetAsync(new SetBudgetRequest { TenantId = tenantId.ToString(), MonthlyBudgetUsd = amount, Mode = mode }).ResponseAsync;

    private Task<BudgetStatus> CheckAsync(Guid tenantId) =>
        Client.CheckBudgetAsync(new CheckBudgetRequest { TenantId = tenantId.ToString() }).ResponseAsync;

    /// <summary>The amount as Billing writes it: invariant, no trailing zeros (the test amounts have at most 6 decimals).</summary>
    private static string Usd(decimal amount) => amount.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// One gemini-3.1-flash-live event with 1M text input tokens and one gpt-realtime-2 event with 1,000 audio input
    /// tokens, at <paramref name="at"/>; and their exact cost, from the price catalog the service runs with.
    /// </summary>
    private (UsageRecorded[] Events, decimal Cost) SpendAt(Guid tenantId, DateTimeOffset at)
    {
        var catalog = fixture.Factory.Services.GetRequiredService<PriceCatalog>();
        var gemini = catalog.Find("gemini-3.1-flash-live", at)!.PerMillionTokens;
        var gpt = catalog.Find("gpt-realtime-2", at)!.PerMillionTokens;
        UsageRecorded[] events =
        [
            UsageEvent(tenantId, "sess_budget_1", "gemini-3.1-flash-live", at, inputText: 1_000_000),
            UsageEvent(tenantId, "sess_budget_2", "gpt-realtime-2", at, inputAudio: 1_000),
        ];
        return (events, gemini.InputText + 1_000 * gpt.InputAudio / 1_000_000m);
    }

    private static async Task AssertInvalidArgumentAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task A_budget_and_its_mode_are_set_read_back_and_cleared()
    {
        var tenant = Guid.NewGuid();
        await _accounts.OpenAsync(tenant, "Budgeted");

        var set = await SetBudgetAsync(tenant, "250.50", "soft");
        Assert.Equal("250.5", set.MonthlyBudgetUsd); // normalised like every Billing amount
        Assert.Equal("soft", set.BudgetMode);
        Assert.Equal("Budgeted", set.TenantName);
        var read = await Client.GetAccountAsync(new GetAccountRequest { TenantId = tenant.ToString() });
        Assert.Equal(set, read);

        var hard = await SetBudgetAsync(tenant, "1.500000"); // empty mode means hard; trailing zeros are not extra precision
        Assert.Equal(("1.5", "hard"), (hard.MonthlyBudgetUsd, hard.BudgetMode));

        var largest = await SetBudgetAsync(tenant, "999999999999.000000", "hard");
        Assert.Equal("999999999999", largest.MonthlyBudgetUsd);

        var micro = await SetBudgetAsync(tenant, "0.000001", "soft");
        Assert.Equal(("0.000001", "soft"), (micro.MonthlyBudgetUsd, micro.BudgetMode));

        var cleared = await SetBudgetAsync(tenant, "", "soft");
        Assert.Equal(("", "soft"), (cleared.MonthlyBudgetUsd, cleared.BudgetMode));
        read = await Client.GetAccountAsync(new GetAccountRequest { TenantId = tenant.ToString() });
        Assert.Equal(("", "soft"), (read.MonthlyBudgetUsd, read.BudgetMode));
    }

    [Theory]
    [InlineData("-1", "")]
    [InlineData("-0.000001", "")]
    [InlineData("1.0000001", "")]       // 7 decimal places
    [InlineData("0.0000001", "")]
    [InlineData("ten", "")]
    [InlineData("1,5", "")]             // invariant culture: '.' only
    [InlineData("1e3", "")]
    [InlineData(" 10", "")]
    [InlineData("NaN", "")]
    [InlineData("1000000000000", "")]   // more than 999999999999
    [InlineData("999999999999.000001", "")]
    [InlineData("99999999999999999999999999999999", "")]
    [InlineData("10", "HARD")]
    [InlineData("10", "block")]
    [InlineData("", "none")]
    public async Task A_malformed_amount_or_unknown_mode_is_invalid_argument_and_changes_nothing(string amount, string mode)
    {
        var tenant = Guid.NewGuid();
        await _accounts.OpenAsync(tenant, "Strict");
        await SetBudgetAsync(tenant, "42", "soft");

        await AssertInvalidArgumentAsync(() => SetBudgetAsync(tenant, amount, mode));

        var account = await Client.GetAccountAsync(new GetAccountRequest { TenantId = tenant.ToString() });
        Assert.Equal(("42", "soft"), (account.MonthlyBudgetUsd, account.BudgetMode));
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme")]
    [InlineData("00000000-0000-0000-0000-00000000000")]
    public async Task An_invalid_tenant_id_is_invalid_argument(string tenantId)
    {
        await AssertInvalidArgumentAsync(() =>
            Client.SetBudgetAsync(new SetBudgetRequest { TenantId = tenantId, MonthlyBudgetUsd = "10" }).ResponseAsync);
        await AssertInvalidArgumentAsync(() => Client.CheckBudgetAsync(new CheckBudgetRequest { TenantId = tenantId }).ResponseAsync);
    }

    [Fact]
    public async Task Setting_the_budget_of_a_tenant_without_an_account_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SetBudgetAsync(Guid.NewGuid(), "10"));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Without_usage_the_month_to_date_is_zero_and_only_a_zero_budget_is_reached()
    {
        var tenant = Guid.NewGuid();
        await _accounts.OpenAsync(tenant, "Idle");

        var noBudget = await CheckAsync(tenant);
        Assert.Equal(tenant.ToString(), noBudget.TenantId);
        Assert.Equal("", noBudget.MonthlyBudgetUsd);
        Assert.Equal("hard", noBudget.Mode);
        Assert.Equal("0", noBudget.MonthToDateUsd);
        Assert.False(noBudget.Reached);
        Assert.False(noBudget.Blocks);
        // The period is the current UTC calendar month, [first day 00:00, first day of the next month).
        var start = DateTimeOffset.FromUnixTimeMilliseconds(noBudget.PeriodStartUnixMs);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(start.AddMonths(1).ToUnixTimeMilliseconds(), noBudget.PeriodEndUnixMs);
        Assert.InRange(now, start, start.AddMonths(1));

        await SetBudgetAsync(tenant, "10");
        var underBudget = await CheckAsync(tenant);
        Assert.Equal(("10", "0", false, false), (underBudget.MonthlyBudgetUsd, underBudget.MonthToDateUsd, underBudget.Reached, underBudget.Blocks));

        await SetBudgetAsync(tenant, "0"); // the contract: a budget of 0 is reached at once
        var zero = await CheckAsync(tenant);
        Assert.Equal(("0", true, true), (zero.MonthlyBudgetUsd, zero.Reached, zero.Blocks));
    }

    [Fact]
    public async Task Spend_equal_to_the_budget_reaches_it_and_hard_blocks_while_soft_only_reports_it()
    {
        var tenant = Guid.NewGuid();
        await _accounts.OpenAsync(tenant, "Spender");
        var period = await CheckAsync(tenant);
        var (events, cost) = SpendAt(tenant, DateTimeOffset.FromUnixTimeMilliseconds(period.PeriodStartUnixMs).AddHours(1));
        await _ledger.RecordAsync(events);

        // The threshold is inclusive: spend == budget is reached.
        await SetBudgetAsync(tenant, Usd(cost), "hard");
        var atBudget = await CheckAsync(tenant);
        Assert.Equal(Usd(cost), atBudget.MonthToDateUsd);
        Assert.Equal(Usd(cost), atBudget.MonthlyBudgetUsd);
        Assert.True(atBudget.Reached);
        Assert.True(atBudget.Blocks);

        // One micro-dollar of headroom: not reached.
        await SetBudgetAsync(tenant, Usd(cost + 0.000001m), "hard");
        var justUnder = await CheckAsync(tenant);
        Assert.Equal(Usd(cost), justUnder.MonthToDateUsd);
        Assert.False(justUnder.Reached);
        Assert.False(justUnder.Blocks);

        // Soft: reached, reported, never blocking.
        await SetBudgetAsync(tenant, Usd(cost), "soft");
        var soft = await CheckAsync(tenant);
        Assert.Equal("soft", soft.Mode);
        Assert.True(soft.Reached);
        Assert.False(soft.Blocks);

        Assert.Equal(period.PeriodStartUnixMs, soft.PeriodStartUnixMs); // still the same month (guards the real clock)
    }

    [Fact]
    public async Task Usage_outside_the_current_month_is_not_counted()
    {
        var tenant = Guid.NewGuid();
        await _accounts.OpenAsync(tenant, "Monthly");
        await SetBudgetAsync(tenant, "0.01");
        var period = await CheckAsync(tenant);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(period.PeriodStartUnixMs);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(period.PeriodEndUnixMs);

        // The last millisecond of the previous month and the first of the next are outside [start, end).
        var (lastMonth, _) = SpendAt(tenant, start.AddMilliseconds(-1));
        var (nextMonth, _) = SpendAt(tenant, end);
        await _ledger.RecordAsync([.. lastMonth, .. nextMonth]);
        var outside = await CheckAsync(tenant);
        Assert.Equal("0", outside.MonthToDateUsd);
        Assert.False(outside.Reached);

        // The first millisecond of this month is inside.
        var (thisMonth, cost) = SpendAt(tenant, start);
        await _ledger.RecordAsync(thisMonth);
        var inside = await CheckAsync(tenant);
        Assert.Equal(Usd(cost), inside.MonthToDateUsd);
        Assert.True(inside.Blocks);
        Assert.Equal(period.PeriodStartUnixMs, inside.PeriodStartUnixMs);
    }

    [Fact]
    public async Task A_tenant_without_an_account_is_never_blocked()
    {
        var tenant = Guid.NewGuid();
        var unknown = await CheckAsync(tenant);
        Assert.Equal(("", "0", false, false), (unknown.MonthlyBudgetUsd, unknown.MonthToDateUsd, unknown.Reached, unknown.Blocks));

        // Usage can reach the ledger before (or without) the account: it is counted, and still blocks nothing.
        var (events, cost) = SpendAt(tenant, DateTimeOffset.FromUnixTimeMilliseconds(unknown.PeriodStartUnixMs));
        await _ledger.RecordAsync(events);
        var spent = await CheckAsync(tenant);
        Assert.Equal(Usd(cost), spent.MonthToDateUsd);
        Assert.Equal("", spent.MonthlyBudgetUsd);
        Assert.False(spent.Reached);
        Assert.False(spent.Blocks);
    }
}
