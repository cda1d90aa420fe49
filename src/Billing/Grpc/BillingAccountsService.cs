using Grpc.Core;
using VoicePlatform.Billing.Accounts;
using VoicePlatform.Billing.Budgets;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Grpc;

/// <summary>Tenant accounts and their monthly budgets: read, set, and checked against month-to-date spend.</summary>
public sealed class BillingAccountsService(AccountStore accounts, BudgetStore budgets, BudgetChecker budgetChecker)
    : BillingAccounts.BillingAccountsBase
{
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        return await accounts.FindAsync(tenantId, context.CancellationToken) ?? throw NoAccount(tenantId);
    }

    public override async Task<Account> SetBudget(SetBudgetRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        if (!BudgetAmount.TryParse(request.MonthlyBudgetUsd, out var amount, out var error)) throw Invalid(error);
        if (!BudgetModeNames.TryParse(request.Mode, out var mode))
            throw Invalid($"mode must be \"{BudgetModeNames.Hard}\", \"{BudgetModeNames.Soft}\" or empty (got \"{request.Mode}\")");
        return await budgets.SetAsync(tenantId, amount, mode, context.CancellationToken) ?? throw NoAccount(tenantId);
    }

    public override async Task<BudgetStatus> CheckBudget(CheckBudgetRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        var check = await budgetChecker.CheckAsync(tenantId, context.CancellationToken);
        return new BudgetStatus
        {
            TenantId = tenantId.ToString(),
            MonthlyBudgetUsd = check.MonthlyBudgetUsd is { } budget ? UsdAmount.Format(budget) : "",
            Mode = BudgetModeNames.ToName(check.Mode),
            MonthToDateUsd = UsdAmount.Format(check.MonthToDateUsd),
            Reached = check.Reached,
            Blocks = check.Blocks,
            PeriodStartUnixMs = check.PeriodStart.ToUnixTimeMilliseconds(),
            PeriodEndUnixMs = check.PeriodEnd.ToUnixTimeMilliseconds(),
        };
    }

    private static Guid ParseTenant(string tenantId) =>
        Guid.TryParse(tenantId, out var id) ? id : throw Invalid("tenant_id must be a UUID");

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException NoAccount(Guid tenantId) => new(new Status(StatusCode.NotFound, $"No billing account for tenant {tenantId}"));
}
