using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Definitions;

namespace VoicePlatform.Router.Routing.Storage;

/// <summary>
/// Tenants' experiments and their lifecycle (draft → running → paused/stopped). A running or paused experiment is
/// frozen: its arms, weights and traffic never change under its subjects; only a reshuffle (new salt) re-randomises.
/// At most one experiment runs per route (a partial unique index enforces it against races).
/// </summary>
public sealed class ExperimentStore(NpgsqlDataSource dataSource, RouteStore routes, ModelDirectory models, IOptions<RoutingOptions> options)
{
    private const string Columns =
        "id, name, route, arms::text, traffic_percent, subject, status, salt, created_at, started_at, stopped_at";

    public async Task<StoredExperiment> CreateAsync(Guid tenantId, JsonElement body, CancellationToken cancellationToken)
    {
        var definition = await ParseAsync(tenantId, body, cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO experiments (id, tenant_id, name, route, arms, traffic_percent, subject, salt)
            SELECT @id, @tenant, @name, @route, @arms, @traffic, @subject, @salt
            WHERE (SELECT count(*) FROM experiments WHERE tenant_id = @tenant) < @limit
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", "exp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("salt", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        command.Parameters.AddWithValue("limit", options.Value.MaxExperimentsPerTenant);
        AddDefinition(command, definition);
        try
        {
            return (await ReadAsync(command, cancellationToken)).SingleOrDefault()
                ?? throw new RoutingError("experiment_limit_reached", $"A tenant may have at most {options.Value.MaxExperimentsPerTenant} experiments.", null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new RoutingConflictException($"An experiment named '{definition.Name}' already exists.", "name");
        }
    }

    public async Task<IReadOnlyList<StoredExperiment>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM experiments WHERE tenant_id = @tenant ORDER BY created_at, id");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The tenant's running experiments (at most one per route).</summary>
    public async Task<IReadOnlyList<StoredExperiment>> RunningAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM experiments WHERE tenant_id = @tenant AND status = 'running'");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<StoredExperiment> GetAsync(Guid tenantId, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM experiments WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault() ?? throw new RoutingNotFoundException($"No experiment '{id}'.");
    }

    /// <summary>Replaces a draft's definition; once it has run, its split is frozen.</summary>
    public async Task<StoredExperiment> ReplaceAsync(Guid tenantId, string id, JsonElement body, CancellationToken cancellationToken)
    {
        var current = await GetAsync(tenantId, id, cancellationToken);
        if (current.Status != "draft")
            throw new RoutingConflictException($"The experiment is {current.Status}: its arms, weights and traffic are frozen. Create a new experiment, or reshuffle it (POST /v1/experiments/{id}/reshuffle) to re-randomise.");
        var definition = await ParseAsync(tenantId, body, cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            UPDATE experiments SET name = @name, route = @route, arms = @arms, traffic_percent = @traffic, subject = @subject
            WHERE tenant_id = @tenant AND id = @id AND status = 'draft' RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        AddDefinition(command, definition);
        try
        {
            return (await ReadAsync(command, cancellationToken)).SingleOrDefault()
                ?? throw new RoutingConflictException("The experiment left the draft state while it was being edited; its split is now frozen.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new RoutingConflictException($"An experiment named '{definition.Name}' already exists.", "name");
        }
    }

    /// <summary><c>start</c>, <c>pause</c>, <c>stop</c> or <c>reshuffle</c> (a new salt: every subject is assigned afresh).</summary>
    public async Task<StoredExperiment> ApplyAsync(Guid tenantId, string id, string action, CancellationToken cancellationToken)
    {
        var (sql, allowed) = action switch
        {
            "start" => ("status = 'running', started_at = coalesce(started_at, now())", new[] { "draft", "paused" }),
            "pause" => ("status = 'paused'", ["running"]),
            "stop" => ("status = 'stopped', stopped_at = now()", ["running", "paused", "draft"]),
            "reshuffle" => ("salt = @salt", ["draft", "running", "paused"]),
            _ => throw new RoutingNotFoundException($"Unknown action '{action}'; use start, pause, stop or reshuffle."),
        };
        var current = await GetAsync(tenantId, id, cancellationToken);
        if (!allowed.Contains(current.Status))
            throw new RoutingConflictException($"Cannot {action} an experiment that is {current.Status}.");
        await using var command = dataSource.CreateCommand($"UPDATE experiments SET {sql} WHERE tenant_id = @tenant AND id = @id AND status = ANY(@allowed) RETURNING {Columns}");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("allowed", allowed);
        command.Parameters.AddWithValue("salt", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            return (await ReadAsync(command, cancellationToken)).SingleOrDefault()
                ?? throw new RoutingConflictException($"The experiment changed state while being {action}ed; read it and try again.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new RoutingConflictException($"Another experiment is already running on the route '{current.Definition.Route}'; stop it first.");
        }
    }

    /// <summary>Counts one session for an arm (or <see cref="StoredExperiment.HoldoutArm"/>).</summary>
    public async Task RecordAssignmentAsync(string experimentId, string arm, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO experiment_assignments (experiment_id, arm, sessions) VALUES (@id, @arm, 1)
            ON CONFLICT (experiment_id, arm) DO UPDATE SET sessions = experiment_assignments.sessions + 1
            """);
        command.Parameters.AddWithValue("id", experimentId);
        command.Parameters.AddWithValue("arm", arm);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ExperimentDefinition> ParseAsync(Guid tenantId, JsonElement body, CancellationToken cancellationToken)
    {
        var tenantRoutes = (await routes.ListAsync(tenantId, cancellationToken)).ToDictionary(r => r.Definition.Name, r => r.Definition, StringComparer.Ordinal);
        return RoutingDefinitionParser.ParseExperiment(body, new RoutingCatalog(models, name => tenantRoutes.GetValueOrDefault(name)));
    }

    private static void AddDefinition(NpgsqlCommand command, ExperimentDefinition definition)
    {
        command.Parameters.AddWithValue("name", definition.Name);
        command.Parameters.AddWithValue("route", definition.Route);
        command.Parameters.AddWithValue("arms", NpgsqlDbType.Jsonb, new JsonArray([.. definition.Arms.Select(a => new JsonObject
        {
            ["name"] = a.Name, ["target"] = a.Target.ToJson(), ["weight"] = a.Weight,
        })]).ToJsonString());
        command.Parameters.AddWithValue("traffic", definition.TrafficPercent);
        command.Parameters.AddWithValue("subject", definition.Subject);
    }

    private async Task<IReadOnlyList<StoredExperiment>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredExperiment>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var arms = JsonNode.Parse(reader.GetString(3))!.AsArray().Select(a => new ExperimentArm(
                    a!["name"]!.GetValue<string>(), StoredTargets.Read(a["target"]!), a["weight"]!.GetValue<int>())).ToList();
                rows.Add(new StoredExperiment(reader.GetString(0),
                    new ExperimentDefinition(reader.GetString(1), reader.GetString(2), arms, reader.GetInt32(4), reader.GetString(5)),
                    reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                    reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                    new Dictionary<string, long>()));
            }
        }
        if (rows.Count == 0) return rows;
        await using var counts = dataSource.CreateCommand("SELECT experiment_id, arm, sessions FROM experiment_assignments WHERE experiment_id = ANY(@ids)");
        counts.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        var byExperiment = new Dictionary<string, Dictionary<string, long>>();
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!byExperiment.TryGetValue(reader.GetString(0), out var arms)) byExperiment[reader.GetString(0)] = arms = [];
                arms[reader.GetString(1)] = reader.GetInt64(2);
            }
        }
        return [.. rows.Select(r => byExperiment.TryGetValue(r.Id, out var a) ? r with { Assignments = a } : r)];
    }
}
