using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Registry;

/// <summary>Tenant tool registrations in the Tools service's own database. Every query is scoped to one tenant.</summary>
public sealed class ToolStore(NpgsqlDataSource dataSource, IOptions<ToolRegistryOptions> options)
{
    /// <summary>First key of the registry's tenant-scoped advisory locks (two-key form: "tool" in ASCII).</summary>
    private const int TenantLockSpace = 0x746f6f6c;

    private const string RegisteredColumns =
        "name, description, parameters::text, webhook_url, timeout_ms, retry_safe, loggable, created_at, updated_at";

    /// <summary>The tenant's tools as a model sees them.</summary>
    public async Task<IReadOnlyList<ToolDefinition>> ListDefinitionsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tools = new List<ToolDefinition>();
        await using var command = dataSource.CreateCommand(
            "SELECT name, description, parameters::text, timeout_ms FROM tools WHERE tenant_id = @tenant ORDER BY name");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tools.Add(new ToolDefinition
            {
                Name = reader.GetString(0), Description = reader.GetString(1), ParametersJson = reader.GetString(2), TimeoutMs = reader.GetInt32(3),
            });
        }
        return tools;
    }

    public async Task<IReadOnlyList<RegisteredTool>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RegisteredColumns} FROM tools WHERE tenant_id = @tenant ORDER BY name");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await ReadRegisteredAsync(command, cancellationToken);
    }

    public async Task<RegisteredTool?> FindAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RegisteredColumns} FROM tools WHERE tenant_id = @tenant AND name = @name");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("name", name);
        return (await ReadRegisteredAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Names of the tenant's tools among <paramref name="names"/>.</summary>
    public async Task<IReadOnlySet<string>> ExistingNamesAsync(Guid tenantId, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (names.Count == 0) return existing;
        await using var command = dataSource.CreateCommand("SELECT name FROM tools WHERE tenant_id = @tenant AND name = ANY(@names)");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("names", names.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(0));
        return existing;
    }

    /// <summary>
    /// Throws <see cref="ToolAlreadyExistsException"/> if the tenant already has a tool of that name, and
    /// <see cref="ToolLimitReachedException"/> if it already has <see cref="ToolRegistryOptions.MaxToolsPerTenant"/> tools.
    /// Creates for one tenant are serialised by a transaction-scoped advisory lock on the tenant, so concurrent creates
    /// at the limit cannot both see room (the count runs after the lock is held, on a fresh snapshot).
    /// </summary>
    public async Task<RegisteredTool> CreateAsync(Guid tenantId, ValidatedToolSpec spec, string signingSecret, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxToolsPerTenant;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var lockTenant = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, @tenant_key)", connection, transaction))
        {
            lockTenant.Parameters.AddWithValue("space", TenantLockSpace);
            lockTenant.Parameters.AddWithValue("tenant_key", TenantLockKey(tenantId));
            await lockTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM tools WHERE tenant_id = @tenant", connection, transaction))
        {
            count.Parameters.AddWithValue("tenant", tenantId);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= limit) throw new ToolLimitReachedException(limit);
        }

        await using var insert = new NpgsqlCommand($"""
            INSERT INTO tools (tenant_id, name, description, parameters, webhook_url, timeout_ms, retry_safe, loggable, signing_secret)
            VALUES (@tenant, @name, @description, @parameters::jsonb, @url, @timeout, @retry, @loggable, @secret)
            RETURNING {RegisteredColumns}
            """, connection, transaction);
        insert.Parameters.AddWithValue("tenant", tenantId);
        AddSpec(insert, spec);
        insert.Parameters.AddWithValue("secret", signingSecret);
        try
        {
            var created = (await ReadRegisteredAsync(insert, cancellationToken)).Single();
            await transaction.CommitAsync(cancellationToken);
            return created;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ToolAlreadyExistsException(spec.Name);
        }
    }

    /// <summary>The tenant's advisory lock key: its id folded to 32 bits (a collision only serialises two tenants' creates).</summary>
    private static int TenantLockKey(Guid tenantId)
    {
        Span<byte> bytes = stackalloc byte[16];
        tenantId.TryWriteBytes(bytes);
        var key = 0;
        for (var i = 0; i < 16; i += 4) key ^= BitConverter.ToInt32(bytes[i..(i + 4)]);
        return key;
    }

    /// <summary>Replaces the definition (not the secret); null if the tenant has no such tool.</summary>
    public async Task<RegisteredTool?> UpdateAsync(Guid tenantId, ValidatedToolSpec spec, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE tools SET description = @description, parameters = @parameters::jsonb, webhook_url = @url,
                             timeout_ms = @timeout, retry_safe = @retry, loggable = @loggable, updated_at = now()
            WHERE tenant_id = @tenant AND name = @name
            RETURNING {RegisteredColumns}
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        AddSpec(command, spec);
        return (await ReadRegisteredAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Deletes the tool and drops it from the tenant's default tools; false if there was none.</summary>
    public async Task<bool> DeleteAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM tools WHERE tenant_id = @tenant AND name = @name", connection, transaction);
        delete.Parameters.AddWithValue("tenant", tenantId);
        delete.Parameters.AddWithValue("name", name);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        await using var unlist = new NpgsqlCommand(
            "UPDATE tool_settings SET default_tools = array_remove(default_tools, @name), updated_at = now() WHERE tenant_id = @tenant",
            connection, transaction);
        unlist.Parameters.AddWithValue("tenant", tenantId);
        unlist.Parameters.AddWithValue("name", name);
        await unlist.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> ReplaceSecretAsync(Guid tenantId, string name, string signingSecret, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE tools SET signing_secret = @secret, updated_at = now() WHERE tenant_id = @tenant AND name = @name");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("secret", signingSecret);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The tool with its secret, for execution; null if the tenant has no such tool.</summary>
    public async Task<WebhookTool?> FindForExecutionAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name, parameters::text, webhook_url, timeout_ms, retry_safe, loggable, signing_secret FROM tools WHERE tenant_id = @tenant AND name = @name");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new WebhookTool(
            reader.GetString(0), reader.GetString(1), new Uri(reader.GetString(2)), TimeSpan.FromMilliseconds(reader.GetInt32(3)),
            reader.GetBoolean(4), reader.GetBoolean(5), reader.GetString(6));
    }

    private static void AddSpec(NpgsqlCommand command, ValidatedToolSpec spec)
    {
        command.Parameters.AddWithValue("name", spec.Name);
        command.Parameters.AddWithValue("description", spec.Description);
        command.Parameters.AddWithValue("parameters", spec.ParametersJson);
        command.Parameters.AddWithValue("url", spec.WebhookUrl);
        command.Parameters.AddWithValue("timeout", spec.TimeoutMs);
        command.Parameters.AddWithValue("retry", spec.SafeToRetry);
        command.Parameters.AddWithValue("loggable", spec.Loggable);
    }

    private static async Task<List<RegisteredTool>> ReadRegisteredAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tools = new List<RegisteredTool>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tools.Add(new RegisteredTool
            {
                Name = reader.GetString(0),
                Description = reader.GetString(1),
                ParametersJson = reader.GetString(2),
                WebhookUrl = reader.GetString(3),
                TimeoutMs = reader.GetInt32(4),
                SafeToRetry = reader.GetBoolean(5),
                Loggable = reader.GetBoolean(6),
                CreatedAt = Timestamp.FromDateTime(reader.GetDateTime(7).ToUniversalTime()),
                UpdatedAt = Timestamp.FromDateTime(reader.GetDateTime(8).ToUniversalTime()),
            });
        }
        return tools;
    }
}
