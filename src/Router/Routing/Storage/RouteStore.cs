using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Definitions;

namespace VoicePlatform.Router.Routing.Storage;

/// <summary>
/// Tenants' routes in the Router's own database. Every query is scoped to one tenant; writes for one tenant are
/// serialised by a transaction-scoped advisory lock, so the route limit and cross-route checks (references, cycles)
/// see a consistent set.
/// </summary>
public sealed class RouteStore(NpgsqlDataSource dataSource, ModelDirectory models, IOptions<RoutingOptions> options)
{
    /// <summary>First key of the routing tenant locks (two-key form: "rout" in ASCII).</summary>
    private const int TenantLockSpace = 0x726f7574;

    public async Task<IReadOnlyList<StoredRoute>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ListAsync(connection, null, tenantId, cancellationToken);
    }

    public async Task<StoredRoute> GetAsync(Guid tenantId, string name, CancellationToken cancellationToken) =>
        (await ListAsync(tenantId, cancellationToken)).FirstOrDefault(r => r.Definition.Name == name)
        ?? throw new RoutingNotFoundException($"No route named '{name}'.");

    /// <summary>Creates a route from a POST body; a name in use is a conflict.</summary>
    public Task<StoredRoute> CreateAsync(Guid tenantId, JsonElement body, CancellationToken cancellationToken) =>
        WriteAsync(tenantId, body, nameFromPath: null, mustBeNew: true, cancellationToken);

    /// <summary>Creates or replaces the route named in the URL (PUT).</summary>
    public Task<StoredRoute> PutAsync(Guid tenantId, string name, JsonElement body, CancellationToken cancellationToken) =>
        WriteAsync(tenantId, body, name, mustBeNew: false, cancellationToken);

    /// <summary>Deletes a route that no running or paused experiment uses.</summary>
    public async Task DeleteAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockTenantAsync(connection, transaction, tenantId, cancellationToken);
        await using (var inUse = new NpgsqlCommand(
            "SELECT name FROM experiments WHERE tenant_id = @tenant AND route = @name AND status IN ('running', 'paused') LIMIT 1", connection, transaction))
        {
            inUse.Parameters.AddWithValue("tenant", tenantId);
            inUse.Parameters.AddWithValue("name", name);
            if (await inUse.ExecuteScalarAsync(cancellationToken) is string experiment)
                throw new RoutingConflictException($"The route '{name}' is used by the experiment '{experiment}'; stop the experiment first.");
        }
        var routes = await ListAsync(connection, transaction, tenantId, cancellationToken);
        if (routes.FirstOrDefault(r => r.Definition.Target.Steps.Any(s => s.Model == name) && r.Definition.Name != name) is { } referrer)
            throw new RoutingConflictException($"The route '{referrer.Definition.Name}' sends sessions to '{name}'; change it first.");
        await using var delete = new NpgsqlCommand("DELETE FROM routes WHERE tenant_id = @tenant AND name = @name", connection, transaction);
        delete.Parameters.AddWithValue("tenant", tenantId);
        delete.Parameters.AddWithValue("name", name);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0) throw new RoutingNotFoundException($"No route named '{name}'.");
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<StoredRoute> WriteAsync(Guid tenantId, JsonElement body, string? nameFromPath, bool mustBeNew, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockTenantAsync(connection, transaction, tenantId, cancellationToken);
        var existing = (await ListAsync(connection, transaction, tenantId, cancellationToken)).ToDictionary(r => r.Definition.Name, StringComparer.Ordinal);
        var route = RoutingDefinitionParser.ParseRoute(body, new RoutingCatalog(models, name => existing.GetValueOrDefault(name)?.Definition), nameFromPath);
        var isNew = !existing.ContainsKey(route.Name);
        if (mustBeNew && !isNew) throw new RoutingConflictException($"A route named '{route.Name}' already exists; PUT /v1/routes/{route.Name} replaces it.", "name");
        if (isNew && existing.Count >= options.Value.MaxRoutesPerTenant)
            throw new RoutingError("route_limit_reached", $"A tenant may have at most {options.Value.MaxRoutesPerTenant} routes; delete one first.", null);

        await using var upsert = new NpgsqlCommand("""
            INSERT INTO routes (tenant_id, name, description, target) VALUES (@tenant, @name, @description, @target)
            ON CONFLICT (tenant_id, name) DO UPDATE SET description = EXCLUDED.description, target = EXCLUDED.target, updated_at = now()
            RETURNING created_at, updated_at
            """, connection, transaction);
        upsert.Parameters.AddWithValue("tenant", tenantId);
        upsert.Parameters.AddWithValue("name", route.Name);
        upsert.Parameters.AddWithValue("description", (object?)route.Description ?? DBNull.Value);
        upsert.Parameters.AddWithValue("target", NpgsqlDbType.Jsonb, route.Target.ToJson().ToJsonString());
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var stored = new StoredRoute(route, reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
        await reader.DisposeAsync();
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private async Task<IReadOnlyList<StoredRoute>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT name, description, target::text, created_at, updated_at FROM routes WHERE tenant_id = @tenant ORDER BY name", connection, transaction);
        command.Parameters.AddWithValue("tenant", tenantId);
        var rows = new List<(string Name, string? Description, string Target, DateTimeOffset Created, DateTimeOffset Updated)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }
        // Stored targets were valid when written; read them back without re-checking references (a model may since have
        // left the catalog: the route still lists, and a session on it gets model_not_found).
        return [.. rows.Select(r => new StoredRoute(new RouteDefinition(r.Name, StoredTargets.Read(r.Target), r.Description), r.Created, r.Updated))];
    }

    private static async Task LockTenantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, @key)", connection, transaction);
        command.Parameters.AddWithValue("space", TenantLockSpace);
        command.Parameters.AddWithValue("key", BitConverter.ToInt32(tenantId.ToByteArray(), 0));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
