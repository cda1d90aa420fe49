namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Configuration section <c>Gateway:SessionLimits</c>: how limits and budgets are enforced.</summary>
public sealed class SessionLimitOptions
{
    public const string SectionName = "Gateway:SessionLimits";

    /// <summary>A concurrency slot's lease; a crashed Gateway's slots are free again at most this long after it died.</summary>
    public TimeSpan SlotLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often live sessions' budgets (tenant monthly budget, per-session spend caps) are checked with Billing.</summary>
    public TimeSpan BudgetCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a session start may reuse Billing's last answer that the tenant's budget does not block, instead of
    /// asking again (the live check refreshes it every <see cref="BudgetCheckInterval"/> while the tenant has live
    /// sessions). A blocking answer is never reused. Zero asks Billing on every start.
    /// </summary>
    public TimeSpan BudgetStatusReuse { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of the budget check at session start; if Billing does not answer in time the session is admitted.</summary>
    public TimeSpan BudgetCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Live realtime sessions a tenant may hold when it has no <c>max_concurrent_sessions</c> of its own, across
    /// all Gateways; 0 means no default cap (an explicit choice: one tenant could then hold unlimited provider connections).</summary>
    public int DefaultMaxConcurrentSessions { get; set; } = 100;

    /// <summary>The <c>Retry-After</c> of a refusal for concurrency (when a slot frees is unknown; this is a polite pace).</summary>
    public TimeSpan ConcurrencyRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The concurrency cap for a tenant whose own limit is <paramref name="tenantLimit"/> (null = not set).</summary>
    public int? EffectiveMaxConcurrentSessions(int? tenantLimit) =>
        tenantLimit ?? (DefaultMaxConcurrentSessions > 0 ? DefaultMaxConcurrentSessions : null);
}
