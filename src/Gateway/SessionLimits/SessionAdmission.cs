using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Gateway.ApiKeys;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Decides at session start whether a tenant's session may run: its monthly budget (Billing), then its starts per
/// minute and concurrent sessions (Redis, tenant and API key caps; a tenant without its own concurrency limit gets
/// <see cref="SessionLimitOptions.DefaultMaxConcurrentSessions"/>). An admitted session holds a renewed slot until it
/// ends. Enforcement needs Billing and Redis; when one is unreachable the session is admitted and the lapse is logged
/// and counted, because refusing every call while a dependency restarts would be the bigger outage.
/// </summary>
public sealed class SessionAdmission(
    SessionLimitStore limits,
    SessionSlots slots,
    SessionSlotRenewal renewal,
    BillingAccounts.BillingAccountsClient billing,
    IOptionsMonitor<SessionLimitOptions> options,
    SessionLimitMetrics metrics,
    TenantBudgetStatuses budgetStatuses,
    ILogger<SessionAdmission> logger)
{
    /// <summary>Admits the session (a slot to dispose when it ends, or null when Redis is unreachable) or refuses it.</summary>
    public async Task<(SessionSlot? Slot, AdmissionRefusal? Refusal)> AdmitAsync(AuthenticatedTenant caller, string sessionId, bool resume,
        CancellationToken cancellationToken)
    {
        // The budget and the key's limits are independent reads on a new session's way to session.created: both are
        // asked at once, and decided in the same order as ever (a budget refusal first).
        var storedRead = limits.ForKeyAsync(caller.KeyId, cancellationToken);
        AdmissionRefusal? budgetRefusal;
        try
        {
            budgetRefusal = await CheckBudgetAsync(caller.TenantId, cancellationToken);
        }
        catch
        {
            Observe(storedRead);
            throw;
        }
        if (budgetRefusal is not null)
        {
            Observe(storedRead);
            metrics.Refused("monthly_budget");
            return (null, budgetRefusal);
        }

        var stored = await storedRead;
        // A tenant without its own concurrency limit gets the default cap, so no tenant holds unlimited provider connections by accident.
        var keyLimits = stored with
        {
            Tenant = stored.Tenant with { MaxConcurrentSessions = options.CurrentValue.EffectiveMaxConcurrentSessions(stored.Tenant.MaxConcurrentSessions) },
        };
        var owner = new SessionSlotOwner(caller.TenantId, caller.KeyId, sessionId);
        SlotDecision decision;
        try
        {
            // A resume continues a live session: it needs its slot back but is not a new start.
            decision = await slots.TryAdmitAsync(owner, keyLimits, options.CurrentValue.SlotLease, countStart: !resume);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            metrics.Unenforced("redis_unavailable");
            logger.LogWarning("Session {SessionId} admitted without concurrency and rate limits: Redis unavailable ({Error})", sessionId, e.Message);
            return (null, null);
        }
        if (decision.Admitted) return (renewal.Hold(owner), null);

        metrics.Refused(decision.Refusal switch
        {
            SlotRefusal.TenantStartRate or SlotRefusal.KeyStartRate => "starts_per_minute",
            _ => "concurrent_sessions",
        });
        return (null, decision.Refusal switch
        {
            SlotRefusal.TenantStartRate => AdmissionRefusal.RateLimited(
                $"Rate limit reached: your organization may start {keyLimits.Tenant.MaxSessionStartsPerMinute} realtime sessions per minute. Retry after the time in Retry-After.",
                decision.RetryAfter),
            SlotRefusal.KeyStartRate => AdmissionRefusal.RateLimited(
                $"Rate limit reached: this API key may start {keyLimits.Key.MaxSessionStartsPerMinute} realtime sessions per minute. Retry after the time in Retry-After.",
                decision.RetryAfter),
            SlotRefusal.TenantConcurrency => AdmissionRefusal.RateLimited(
                $"Concurrency limit reached: your organization may run {keyLimits.Tenant.MaxConcurrentSessions} realtime sessions at once. End one and retry.",
                options.CurrentValue.ConcurrencyRetryAfter),
            _ => AdmissionRefusal.RateLimited(
                $"Concurrency limit reached: this API key may run {keyLimits.Key.MaxConcurrentSessions} realtime sessions at once. End one and retry.",
                options.CurrentValue.ConcurrencyRetryAfter),
        });
    }

    private async Task<AdmissionRefusal?> CheckBudgetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (budgetStatuses.RecentlyUnblocked(tenantId)) return null;
        try
        {
            var status = await billing.CheckBudgetAsync(new CheckBudgetRequest { TenantId = tenantId.ToString() },
                deadline: DateTime.UtcNow + options.CurrentValue.BudgetCheckTimeout, cancellationToken: cancellationToken);
            budgetStatuses.Record(tenantId, status);
            return status.Blocks ? AdmissionRefusal.InsufficientQuota(BudgetMessage(status)) : null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Unenforced("billing_unavailable");
            logger.LogWarning("Tenant {TenantId}: session admitted without a budget check, Billing did not answer ({Status})", tenantId, e.StatusCode);
            return null;
        }
    }

    /// <summary>A read whose answer is no longer needed: its failure, if any, is not an unobserved exception.</summary>
    private static void Observe(Task read) =>
        read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public static string BudgetMessage(BudgetStatus status) => string.Create(CultureInfo.InvariantCulture,
        $"You exceeded your current quota: the monthly budget of ${status.MonthlyBudgetUsd} is used up (${status.MonthToDateUsd} spent this month). Raise the budget or wait for next month.");
}
