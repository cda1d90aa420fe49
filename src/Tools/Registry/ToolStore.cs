using Npgsql;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Registry;

/// <summary>Tenant tool registrations in the Tools service's own database.</summary>
public sealed class ToolStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ToolDefinition>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tools = new List<ToolDefinition>();
        await using var command = dataSource.CreateCommand(
            "SELECT name, description, parameters::text FROM tools WHERE tenant_id = @tenant ORDER BY name");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tools.Add(new ToolDefinition { Name = reader.GetString(0), Description = reader.GetString(1), ParametersJson = reader.GetString(2) });
        }
        return tools;
    }
}
