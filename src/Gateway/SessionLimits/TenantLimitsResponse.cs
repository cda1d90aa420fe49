using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>A tenant's limits, live sessions and budget: <c>GET /v1/limits</c> and the operator's <c>/v1/admin/tenants/{id}/limits</c>.</summary>
public sealed record TenantLimitsResponse(
    [property: JsonPropertyName("max_concurrent_sessions")] int? MaxConcurrentSessions,
    // What applies: the tenant's own limit, else the Gateway's default cap (null: no cap).
    [property: JsonPropertyName("effective_max_concurrent_sessions")] int? EffectiveMaxConcurrentSessions,
    [property: JsonPropertyName("max_session_starts_per_minute")] int? MaxSessionStartsPerMinute,
    [property: JsonPropertyName("live_sessions")] long LiveSessions,
    // Null when Billing could not be asked.
    [property: JsonPropertyName("budget")] BudgetResponse? Budget)
{
    public static TenantLimitsResponse From(SessionLimits limits, SessionLimitOptions options, BudgetStatus? budget, long liveSessions) => new(
        limits.MaxConcurrentSessions, options.EffectiveMaxConcurrentSessions(limits.MaxConcurrentSessions), limits.MaxSessionStartsPerMinute,
        liveSessions, budget is null ? null : BudgetResponse.From(budget));
}

/// <summary>The monthly budget (UTC calendar month) against month-to-date spend, as Billing keeps it. Amounts are USD decimal strings.</summary>
public sealed record BudgetResponse(
    [property: JsonPropertyName("monthly_budget_usd")] string? MonthlyBudgetUsd,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("month_to_date_usd")] string MonthToDateUsd,
    [property: JsonPropertyName("reached")] bool Reached)
{
    public static BudgetResponse From(BudgetStatus budget) =>
        new(budget.MonthlyBudgetUsd.Length == 0 ? null : budget.MonthlyBudgetUsd, budget.Mode, budget.MonthToDateUsd, budget.Reached);
}

/// <summary>Body of <c>PUT /v1/billing/budget</c>: a null <c>monthly_budget_usd</c> clears the budget.</summary>
public sealed record SetBudgetBody(
    [property: JsonPropertyName("monthly_budget_usd")] string? MonthlyBudgetUsd,
    [property: JsonPropertyName("mode")] string? Mode);
