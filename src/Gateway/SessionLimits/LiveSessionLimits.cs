using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Watches the budgets of live sessions on this Gateway: every <see cref="SessionLimitOptions.BudgetCheckInterval"/> it
/// asks Billing once per tenant with live sessions (month-to-date spend against the monthly budget) and once per
/// session with a spend cap (the session's cost), and tells the sessions concerned. Spend only becomes visible once
/// Billing has priced the usage, so a session ends at most one check interval plus the ledger's delay after the limit.
/// </summary>
public sealed class LiveSessionLimits(
    BillingAccounts.BillingAccountsClient accounts,
    BillingUsage.BillingUsageClient usage,
    IOptionsMonitor<SessionLimitOptions> options,
    SessionLimitMetrics metrics,
    TenantBudgetStatuses budgetStatuses,
    ILogger<LiveSessionLimits> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<WatchedSession, byte> _watched = new();

    private sealed class WatchedSession(Guid tenantId, string sessionId, decimal? spendCapUsd, Func<SessionLimitReached, Task> reached)
    {
        public Guid TenantId => tenantId;
        public string SessionId => sessionId;
        public decimal? SpendCapUsd => spendCapUsd;
        public Func<SessionLimitReached, Task> Reached => reached;
        public bool Warned { get; set; }
    }

    /// <summary>Watches a session until the returned handle is disposed (the session ended).</summary>
    public IDisposable Watch(Guid tenantId, string sessionId, decimal? spendCapUsd, Func<SessionLimitReached, Task> reached)
    {
        var watched = new WatchedSession(tenantId, sessionId, spendCapUsd, reached);
        _watched[watched] = 0;
        return new Unwatch(this, watched);
    }

    private sealed class Unwatch(LiveSessionLimits owner, WatchedSession watched) : IDisposable
    {
        public void Dispose() => owner._watched.TryRemove(watched, out _);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.BudgetCheckInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            budgetStatuses.RemoveStale();
            var sessions = _watched.Keys.ToList();
            if (sessions.Count == 0) continue;
            await Task.WhenAll(sessions.GroupBy(s => s.TenantId).Select(tenant => CheckTenantAsync(tenant.Key, [.. tenant], stoppingToken))
                .Concat(sessions.Where(s => s.SpendCapUsd is not null).Select(s => CheckSessionSpendAsync(s, stoppingToken))));
        }
    }

    private async Task CheckTenantAsync(Guid tenantId, List<WatchedSession> sessions, CancellationToken cancellationToken)
    {
        BudgetStatus status;
        try
        {
            status = await accounts.CheckBudgetAsync(new CheckBudgetRequest { TenantId = tenantId.ToString() }, deadline: Deadline(), cancellationToken: cancellationToken);
            budgetStatuses.Record(tenantId, status);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Unenforced("billing_unavailable");
            logger.LogWarning("Budget of tenant {TenantId} not checked: Billing did not answer ({Status})", tenantId, e.StatusCode);
            return;
        }
        if (!status.Reached) return;
        var message = SessionAdmission.BudgetMessage(status);
        foreach (var session in sessions)
        {
            if (status.Blocks)
            {
                await NotifyAsync(session, new SessionLimitReached("monthly_budget", "insufficient_quota",
                    message + " The session ends after the current response.", "budget_exceeded"));
            }
            else if (!session.Warned)
            {
                session.Warned = true; // a soft budget warns once per session
                await NotifyAsync(session, new SessionLimitReached("monthly_budget", "insufficient_quota",
                    $"The monthly budget of ${status.MonthlyBudgetUsd} is used up (${status.MonthToDateUsd} spent this month); it is a soft budget, so the session continues.", null));
            }
        }
    }

    private async Task CheckSessionSpendAsync(WatchedSession session, CancellationToken cancellationToken)
    {
        decimal cost;
        try
        {
            var reply = await usage.GetSessionCostAsync(new GetSessionCostRequest { TenantId = session.TenantId.ToString(), SessionId = session.SessionId },
                deadline: Deadline(), cancellationToken: cancellationToken);
            cost = decimal.Parse(reply.CostUsd, NumberStyles.Number, CultureInfo.InvariantCulture);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return; // no usage priced yet
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Unenforced("billing_unavailable");
            logger.LogWarning("Spend of session {SessionId} not checked: Billing did not answer ({Status})", session.SessionId, e.StatusCode);
            return;
        }
        if (cost < session.SpendCapUsd) return;
        await NotifyAsync(session, new SessionLimitReached("session_spend", "insufficient_quota", string.Create(CultureInfo.InvariantCulture,
            $"This session reached its spending cap of ${session.SpendCapUsd} (${cost} spent). The session ends after the current response."), "session_spend_cap"));
    }

    private async Task NotifyAsync(WatchedSession session, SessionLimitReached limit)
    {
        if (limit.EndsSession)
        {
            if (!_watched.TryRemove(session, out _)) return; // told already
            metrics.Ended(limit.Limit);
            logger.LogInformation("Session {SessionId} of tenant {TenantId} ends: {Limit} reached", session.SessionId, session.TenantId, limit.Limit);
        }
        try
        {
            await session.Reached(limit);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Session {SessionId} could not be told that {Limit} was reached", session.SessionId, limit.Limit);
        }
    }

    private DateTime Deadline() => DateTime.UtcNow + options.CurrentValue.BudgetCheckTimeout;
}
