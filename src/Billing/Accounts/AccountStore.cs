using Npgsql;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Accounts;

public sealed class AccountStore(NpgsqlDataSource dataSource)
{
    /// <summary>The columns <see cref="ReadAccount"/> reads, in order (shared with statements that return an account).</summary>
    internal const string AccountColumns = "tenant_id, tenant_name, plan, monthly_budget_usd, opened_at, budget_mode";

    /// <summary>Opens the tenant's account. Idempotent: a redelivered event finds the account already there.</summary>
    public async Task<bool> OpenAsync(Guid tenantId, string tenantName, DateTimeOffset openedAt, Guid eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO accounts (tenant_id, tenant_name, opened_at, opened_by_event) VALUES (@tenant, @name, @opened, @event)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("name", tenantName);
        command.Parameters.AddWithValue("opened", openedAt);
        command.Parameters.AddWithValue("event", eventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<Account?> FindAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM accounts WHERE tenant_id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    /// <summary>Maps a row of <see cref="AccountColumns"/>; the budget is normalised like every amount Billing returns.</summary>
    internal static Account ReadAccount(NpgsqlDataReader reader) => new()
    {
        TenantId = reader.GetGuid(0).ToString(),
        TenantName = reader.GetString(1),
        Plan = reader.GetString(2),
        MonthlyBudgetUsd = reader.IsDBNull(3) ? "" : UsdAmount.Format(reader.GetDecimal(3)),
        OpenedAtUnixMs = reader.GetFieldValue<DateTimeOffset>(4).ToUnixTimeMilliseconds(),
        BudgetMode = reader.GetString(5), // "hard" or "soft": the column's CHECK admits nothing else
    };
}
