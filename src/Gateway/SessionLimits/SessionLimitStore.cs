using Npgsql;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Session limits of tenants and API keys, in the Gateway's database (it owns tenants and keys).</summary>
public sealed class SessionLimitStore(NpgsqlDataSource dataSource)
{
    public Task<SessionLimits?> GetTenantAsync(Guid tenantId, CancellationToken cancellationToken) =>
        GetAsync("tenants", tenantId, cancellationToken);

    public Task<SessionLimits?> GetKeyAsync(string keyId, CancellationToken cancellationToken) =>
        GetAsync("api_keys", keyId, cancellationToken);

    /// <summary>Replaces the tenant's limits; false if there is no such tenant.</summary>
    public Task<bool> SetTenantAsync(Guid tenantId, SessionLimits limits, CancellationToken cancellationToken) =>
        SetAsync("tenants", tenantId, limits, cancellationToken);

    /// <summary>Replaces the key's caps; false if there is no such key.</summary>
    public Task<bool> SetKeyAsync(string keyId, SessionLimits limits, CancellationToken cancellationToken) =>
        SetAsync("api_keys", keyId, limits, cancellationToken);

    /// <summary>Both sets of limits for a session started with this key, in one query (it runs on every session start).</summary>
    public async Task<KeySessionLimits> ForKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.max_concurrent_sessions, t.max_session_starts_per_minute, k.max_concurrent_sessions, k.max_session_starts_per_minute
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.id = @id
            """);
        command.Parameters.AddWithValue("id", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return new KeySessionLimits(SessionLimits.None, SessionLimits.None);
        return new KeySessionLimits(new SessionLimits(IntOrNull(reader, 0), IntOrNull(reader, 1)), new SessionLimits(IntOrNull(reader, 2), IntOrNull(reader, 3)));
    }

    // The table names below are constants of this class, never input.
    private async Task<SessionLimits?> GetAsync(string table, object id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT max_concurrent_sessions, max_session_starts_per_minute FROM {table} WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SessionLimits(IntOrNull(reader, 0), IntOrNull(reader, 1)) : null;
    }

    private async Task<bool> SetAsync(string table, object id, SessionLimits limits, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE {table} SET max_concurrent_sessions = @concurrent, max_session_starts_per_minute = @starts WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("concurrent", (object?)limits.MaxConcurrentSessions ?? DBNull.Value);
        command.Parameters.AddWithValue("starts", (object?)limits.MaxSessionStartsPerMinute ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static int? IntOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
