using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Body of <c>PUT /v1/admin/tenants/{id}/limits</c> and <c>PUT /v1/admin/keys/{id}/limits</c>. PUT replaces: an absent
/// or null field means "no limit", except a tenant's <c>max_concurrent_sessions</c>: null there means the Gateway's
/// default cap (<see cref="SessionLimitOptions.DefaultMaxConcurrentSessions"/>). The budget fields apply to tenants only.
/// </summary>
public sealed record LimitsRequest(
    [property: JsonPropertyName("max_concurrent_sessions")] int? MaxConcurrentSessions,
    [property: JsonPropertyName("max_session_starts_per_minute")] int? MaxSessionStartsPerMinute,
    [property: JsonPropertyName("monthly_budget_usd")] string? MonthlyBudgetUsd,
    [property: JsonPropertyName("budget_mode")] string? BudgetMode);
