using Npgsql;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>The tenant's recording switch, a column of the Gateway's tenants table (off by default).</summary>
public sealed class RecordingSettingsStore(NpgsqlDataSource dataSource)
{
    /// <returns>Whether the tenant records its sessions; false for an unknown tenant.</returns>
    public async Task<bool> IsEnabledAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT recording_enabled FROM tenants WHERE id = @id");
        command.Parameters.AddWithValue("id", tenantId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <returns>false when there is no such tenant.</returns>
    public async Task<bool> SetEnabledAsync(Guid tenantId, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE tenants SET recording_enabled = @enabled WHERE id = @id");
        command.Parameters.AddWithValue("id", tenantId);
        command.Parameters.AddWithValue("enabled", enabled);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
