using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Gateway.SessionLimits;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>
/// What a session start may reuse of Billing's last budget answer: a non-blocking one, for the reuse window; never a
/// blocking one; nothing once the budget was set through this Gateway or the window is zero.
/// </summary>
public sealed class TenantBudgetStatusesTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private readonly FakeTimeProvider _clock = new();

    private TenantBudgetStatuses Statuses(TimeSpan reuse) =>
        new(_clock, new OptionsMonitorOf(new SessionLimitOptions { BudgetStatusReuse = reuse }));

    [Fact]
    public void A_non_blocking_answer_is_reused_within_the_window_only()
    {
        var statuses = Statuses(TimeSpan.FromSeconds(5));
        Assert.False(statuses.RecentlyUnblocked(Tenant)); // nothing asked yet

        statuses.Record(Tenant, new BudgetStatus { Blocks = false });
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(statuses.RecentlyUnblocked(Tenant));
        Assert.False(statuses.RecentlyUnblocked(Guid.NewGuid())); // per tenant

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(statuses.RecentlyUnblocked(Tenant));
    }

    [Fact]
    public void A_blocking_answer_is_never_reused_and_a_later_one_replaces_it()
    {
        var statuses = Statuses(TimeSpan.FromSeconds(5));
        statuses.Record(Tenant, new BudgetStatus { Blocks = false });
        statuses.Record(Tenant, new BudgetStatus { Blocks = true, Reached = true }); // the live check saw the budget used up
        Assert.False(statuses.RecentlyUnblocked(Tenant));

        statuses.Record(Tenant, new BudgetStatus { Blocks = false }); // raised again
        Assert.True(statuses.RecentlyUnblocked(Tenant));
    }

    [Fact]
    public void A_budget_set_through_the_gateway_and_a_zero_window_mean_asking_billing()
    {
        var statuses = Statuses(TimeSpan.FromSeconds(5));
        statuses.Record(Tenant, new BudgetStatus { Blocks = false });
        statuses.Forget(Tenant);
        Assert.False(statuses.RecentlyUnblocked(Tenant));

        var never = Statuses(TimeSpan.Zero);
        never.Record(Tenant, new BudgetStatus { Blocks = false });
        Assert.False(never.RecentlyUnblocked(Tenant));
    }

    [Fact]
    public void Answers_too_old_to_reuse_are_dropped_and_fresh_ones_kept()
    {
        var statuses = Statuses(TimeSpan.FromSeconds(5));
        statuses.Record(Guid.NewGuid(), new BudgetStatus { Blocks = false });
        _clock.Advance(TimeSpan.FromSeconds(6));
        statuses.Record(Tenant, new BudgetStatus { Blocks = false });
        Assert.Equal(2, statuses.Remembered);

        statuses.RemoveStale();
        Assert.Equal(1, statuses.Remembered);
        Assert.True(statuses.RecentlyUnblocked(Tenant));
    }

    private sealed class OptionsMonitorOf(SessionLimitOptions value) : IOptionsMonitor<SessionLimitOptions>
    {
        public SessionLimitOptions CurrentValue => value;
        public SessionLimitOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<SessionLimitOptions, string?> listener) => null;
    }
}
