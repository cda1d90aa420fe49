using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// The last budget answer Billing gave this Gateway for each tenant, and when. A session start reuses one that does
/// not block and is younger than <see cref="SessionLimitOptions.BudgetStatusReuse"/> instead of asking Billing again:
/// the budget call (a month-to-date sum behind a gRPC call) was most of admission's time. The live-session check
/// (<see cref="LiveSessionLimits"/>) refreshes the status of every tenant with live sessions each interval, so a
/// crossed budget refuses new starts as late as it ends live sessions. A blocking answer is never reused (a raised
/// budget applies at once), and a budget set through this Gateway forgets the tenant's answer.
/// </summary>
public sealed class TenantBudgetStatuses(TimeProvider clock, IOptionsMonitor<SessionLimitOptions> options)
{
    private readonly ConcurrentDictionary<Guid, (bool Blocks, long At)> _last = new();

    public void Record(Guid tenantId, BudgetStatus status) => _last[tenantId] = (status.Blocks, clock.GetTimestamp());

    /// <summary>The tenant's budget changed: its next start asks Billing.</summary>
    public void Forget(Guid tenantId) => _last.TryRemove(tenantId, out _);

    /// <summary>Whether a recent answer says the tenant's budget does not block new sessions.</summary>
    public bool RecentlyUnblocked(Guid tenantId) =>
        _last.TryGetValue(tenantId, out var last) && !last.Blocks && clock.GetElapsedTime(last.At) < options.CurrentValue.BudgetStatusReuse;

    /// <summary>How many tenants' answers are kept (diagnostics; tests).</summary>
    public int Remembered => _last.Count;

    /// <summary>Drops answers too old to reuse (tenants that stopped starting sessions).</summary>
    public void RemoveStale()
    {
        var reuse = options.CurrentValue.BudgetStatusReuse;
        foreach (var (tenantId, last) in _last)
        {
            if (clock.GetElapsedTime(last.At) >= reuse) _last.TryRemove(new KeyValuePair<Guid, (bool, long)>(tenantId, last));
        }
    }
}
