using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Usage;

public sealed record TokenCounts(long InputAudio, long InputText, long InputImage, long CachedInputAudio, long CachedInputText, long CachedInputImage, long OutputAudio, long OutputText)
{
    public long Total => InputAudio + InputText + InputImage + CachedInputAudio + CachedInputText + CachedInputImage + OutputAudio + OutputText;
}

public sealed record StatementLine(string Model, TokenCounts Tokens, long ConnectionMs, long Events, string CostUsd);

public sealed record Statement(string Period, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<StatementLine> Lines, string TotalUsd);

/// <summary><c>GET /v1/limits</c> (null caps: none, or the Gateway's default).</summary>
public sealed record LimitsView(int? MaxConcurrentSessions, int? EffectiveMaxConcurrentSessions, int? MaxSessionStartsPerMinute, long LiveSessions, BudgetStatus? Budget);

/// <summary>Usage (<c>/v1/usage</c>), the monthly statement, limits and the tenant's budget.</summary>
public static class UsageApi
{
    public static Task<UsageReport?> GetUsageAsync(this GatewayApi api, DateTimeOffset from, DateTimeOffset to, string groupBy, string? experiment, CancellationToken ct = default) =>
        api.GetAsync<UsageReport>(QueryHelpers.AddQueryString("/v1/usage", new Dictionary<string, string?>
        {
            ["from"] = from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ["to"] = to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["group_by"] = groupBy, ["experiment"] = string.IsNullOrEmpty(experiment) ? null : experiment,
        }.Where(p => p.Value is not null)), ct);

    public static Task<Statement?> GetStatementAsync(this GatewayApi api, string period, CancellationToken ct = default) =>
        api.GetAsync<Statement>($"/v1/billing/statements/{GatewayApi.Escape(period)}", ct);

    public static Task<LimitsView?> GetLimitsViewAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<LimitsView>("/v1/limits", ct);

    /// <param name="monthlyBudgetUsd">A USD amount as a decimal string, or null to clear the budget.</param>
    public static Task<LimitsView?> PutBudgetAsync(this GatewayApi api, string? monthlyBudgetUsd, string mode, CancellationToken ct = default) =>
        api.SendAsync<LimitsView>(HttpMethod.Put, "/v1/billing/budget", new { monthly_budget_usd = monthlyBudgetUsd, mode }, ct);
}
