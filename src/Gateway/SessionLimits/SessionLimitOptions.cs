namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Configuration section <c>Gateway:SessionLimits</c>: how limits and budgets are enforced.</summary>
public sealed class SessionLimitOptions
{
    public const string SectionName = "Gateway:SessionLimits";

    /// <summary>A concurrency slot's lease; a crashed Gateway's slots are free again at most this long after it died.</summary>
    public TimeSpan SlotLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often live sessions' budgets (tenant monthly budget, per-session spend caps) are checked with Billing.</summary>
    public TimeSpan BudgetCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of the budget check at session start; if Billing does not answer in time the session is admitted.</summary>
    public TimeSpan BudgetCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
