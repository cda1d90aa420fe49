using Npgsql;
using NpgsqlTypes;
using VoicePlatform.Billing.Accounts;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Budgets;

/// <summary>The budget columns of <c>accounts</c>, and the ledger's spend against them.</summary>
public sealed class BudgetStore(NpgsqlDataSource dataSource)
{
    /// <summary>Sets (or, with null, clears) the budget and its mode; the updated account, or null if the tenant has none.</summary>
    public async Task<Account?> SetAsync(Guid tenantId, decimal? monthlyBudgetUsd, BudgetMode mode, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE accounts SET monthly_budget_usd = @budget, budget_mode = @mode WHERE tenant_id = @tenant
            RETURNING {AccountStore.AccountColumns}
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.Add(new NpgsqlParameter("budget", NpgsqlDbType.Numeric) { Value = (object?)monthlyBudgetUsd ?? DBNull.Value });
        command.Parameters.AddWithValue("mode", BudgetModeNames.ToName(mode));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AccountStore.ReadAccount(reader) : null;
    }

    /// <summary>
    /// The tenant's budget and its ledger spend in [<paramref name="from"/>, <paramref name="to"/>), in one statement
    /// (one snapshot). The sum is PostgreSQL's over numeric, exact, on the (tenant_id, occurred_at) index.
    /// </summary>
    public async Task<BudgetSpend> ReadSpendAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The LEFT JOIN keeps the spend row for a tenant without an account.
        await using var command = dataSource.CreateCommand("""
            SELECT a.tenant_id IS NOT NULL, a.monthly_budget_usd, a.budget_mode,
                   (SELECT coalesce(sum(cost_usd), 0) FROM usage_ledger
                    WHERE tenant_id = @tenant AND occurred_at >= @from AND occurred_at < @to)
            FROM (SELECT 1) AS one LEFT JOIN accounts a ON a.tenant_id = @tenant
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var hasAccount = reader.GetBoolean(0);
        return new BudgetSpend(
            reader.IsDBNull(1) ? null : reader.GetDecimal(1),
            hasAccount ? BudgetModeNames.FromStored(reader.GetString(2)) : BudgetMode.Hard,
            reader.GetDecimal(3));
    }
}
