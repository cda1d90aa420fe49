using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Gateway.Outbox;

namespace VoicePlatform.Gateway.ApiKeys;

public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>Issues a key. The returned full key is the only time the secret exists outside the caller.</summary>
    public async Task<(ApiKeyRecord Record, string FullKey)> IssueAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        var (keyId, secret, fullKey) = ApiKeyFormat.Generate();
        var record = new ApiKeyRecord(keyId, tenantId, name, ApiKeyFormat.HashSecret(secret), DateTimeOffset.UtcNow, null);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_keys (id, tenant_id, name, secret_hash, created_at) VALUES (@id, @tenant, @name, @hash, @created)");
        command.Parameters.AddWithValue("id", record.Id);
        command.Parameters.AddWithValue("tenant", record.TenantId);
        command.Parameters.AddWithValue("name", record.Name);
        command.Parameters.AddWithValue("hash", record.SecretHash);
        command.Parameters.AddWithValue("created", record.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (record, fullKey);
    }

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant_id, name, secret_hash, created_at, revoked_at FROM api_keys WHERE id = @id");
        command.Parameters.AddWithValue("id", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant_id, name, secret_hash, created_at, revoked_at FROM api_keys WHERE tenant_id = @tenant ORDER BY created_at, id");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
        return keys;
    }

    /// <summary>Which of these keys are revoked (one query for all of a Gateway's live sessions).</summary>
    public async Task<IReadOnlyList<string>> RevokedAmongAsync(IReadOnlyList<string> keyIds, CancellationToken cancellationToken)
    {
        var revoked = new List<string>();
        if (keyIds.Count == 0) return revoked;
        await using var command = dataSource.CreateCommand("SELECT id FROM api_keys WHERE id = ANY(@ids) AND revoked_at IS NOT NULL");
        command.Parameters.AddWithValue("ids", keyIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) revoked.Add(reader.GetString(0));
        return revoked;
    }

    /// <summary>Revokes a key; returns false if it does not exist. Revoking twice is harmless.</summary>
    public async Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid? tenantId;
        await using (var command = new NpgsqlCommand(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = @id RETURNING tenant_id", connection, transaction))
        {
            command.Parameters.AddWithValue("id", keyId);
            tenantId = await command.ExecuteScalarAsync(cancellationToken) as Guid?;
        }
        if (tenantId is null) return false;
        await OutboxWriter.AddAsync(connection, transaction,
            new ApiKeyRevoked(Guid.NewGuid(), tenantId.Value, keyId, DateTimeOffset.UtcNow), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
        reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
