using VoicePlatform.Console.Components.Pages.Keys;
using VoicePlatform.Console.Components.Pages.Usage;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Tenants;

public sealed record TenantInfo(Guid Id, string Name, DateTimeOffset CreatedAt);

public sealed record TenantList(IReadOnlyList<TenantInfo> Data);

/// <summary>The operator API (<c>/v1/admin</c>): tenants, their keys, their limits and budget. Needs the operator key.</summary>
public static class TenantsApi
{
    public static Task<TenantList?> ListTenantsAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<TenantList>("/v1/admin/tenants", ct);

    public static Task<TenantInfo?> GetTenantAsync(this GatewayApi api, Guid id, CancellationToken ct = default) => api.GetAsync<TenantInfo>($"/v1/admin/tenants/{id}", ct);

    public static Task<TenantInfo?> CreateTenantAsync(this GatewayApi api, string? name, CancellationToken ct = default) =>
        api.SendAsync<TenantInfo>(HttpMethod.Post, "/v1/admin/tenants", new { name }, ct);

    public static Task<KeyList?> ListTenantKeysAsync(this GatewayApi api, Guid tenant, CancellationToken ct = default) =>
        api.GetAsync<KeyList>($"/v1/admin/tenants/{tenant}/keys", ct);

    public static Task<IssuedKey?> IssueTenantKeyAsync(this GatewayApi api, Guid tenant, string? name, CancellationToken ct = default) =>
        api.SendAsync<IssuedKey>(HttpMethod.Post, $"/v1/admin/tenants/{tenant}/keys", new { name }, ct);

    public static Task RevokeAnyKeyAsync(this GatewayApi api, string keyId, CancellationToken ct = default) =>
        api.SendAsync<object>(HttpMethod.Delete, $"/v1/admin/keys/{GatewayApi.Escape(keyId)}", null, ct);

    public static Task<LimitsView?> GetTenantLimitsAsync(this GatewayApi api, Guid tenant, CancellationToken ct = default) =>
        api.GetAsync<LimitsView>($"/v1/admin/tenants/{tenant}/limits", ct);

    /// <summary>PUT replaces the caps (null: none, or the default concurrency cap) and sets the budget (null amount clears it).</summary>
    public static Task<LimitsView?> PutTenantLimitsAsync(this GatewayApi api, Guid tenant, int? maxConcurrent, int? startsPerMinute, string? budgetUsd, string budgetMode, CancellationToken ct = default) =>
        api.SendAsync<LimitsView>(HttpMethod.Put, $"/v1/admin/tenants/{tenant}/limits", new
        {
            max_concurrent_sessions = maxConcurrent, max_session_starts_per_minute = startsPerMinute, monthly_budget_usd = budgetUsd, budget_mode = budgetMode,
        }, ct);
}
