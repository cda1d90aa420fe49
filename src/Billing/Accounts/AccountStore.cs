using Npgsql;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Accounts;

public sealed class AccountStore(NpgsqlDataSource dataSource)
{
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
        await using var command = dataSource.CreateCommand(
            "SELECT tenant_id, tenant_name, plan, monthly_budget_usd, opened_at FROM accounts WHERE tenant_id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Account
        {
            TenantId = reader.GetGuid(0).ToString(),
            TenantName = reader.GetString(1),
            Plan = reader.GetString(2),
            MonthlyBudgetUsd = reader.IsDBNull(3) ? "" : reader.GetDecimal(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            OpenedAtUnixMs = reader.GetFieldValue<DateTimeOffset>(4).ToUnixTimeMilliseconds(),
        };
    }
}
