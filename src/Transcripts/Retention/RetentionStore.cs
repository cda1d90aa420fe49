using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Retention;

/// <summary>Per-tenant retention (days); tenants without a row get <see cref="RetentionOptions.DefaultDays"/>.</summary>
public sealed class RetentionStore(NpgsqlDataSource dataSource, IOptions<RetentionOptions> options)
{
    public const int MaxDays = 3650;

    public async Task<RetentionSettings> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT retention_days FROM retention_settings WHERE tenant_id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await command.ExecuteScalarAsync(cancellationToken) is int days
            ? new RetentionSettings { RetentionDays = days }
            : new RetentionSettings { RetentionDays = options.Value.DefaultDays, IsDefault = true };
    }

    public async Task<RetentionSettings> SetAsync(Guid tenantId, int days, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO retention_settings (tenant_id, retention_days) VALUES (@tenant, @days)
            ON CONFLICT (tenant_id) DO UPDATE SET retention_days = EXCLUDED.retention_days, updated_at = now()
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("days", days);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new RetentionSettings { RetentionDays = days };
    }
}
