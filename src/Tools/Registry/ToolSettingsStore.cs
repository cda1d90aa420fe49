using Npgsql;
using VoicePlatform.Tools.BuiltIns;

namespace VoicePlatform.Tools.Registry;

/// <summary>Per-tenant <see cref="ToolSettings"/> (table <c>tool_settings</c>).</summary>
public sealed class ToolSettingsStore(NpgsqlDataSource dataSource, ToolStore tools)
{
    public const int MaxDefaultTools = 128;

    public async Task<ToolSettings> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT enabled_built_ins, default_tools FROM tool_settings WHERE tenant_id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return ToolSettings.Default;
        return new ToolSettings(reader.GetFieldValue<string[]>(0), reader.GetFieldValue<string[]>(1));
    }

    /// <summary>
    /// Replaces the settings. Enabled built-ins must be built-ins; default tools must be the tenant's registered tools
    /// or built-ins enabled by these same settings. Throws <see cref="ToolValidationException"/>.
    /// </summary>
    public async Task<ToolSettings> SetAsync(Guid tenantId, IReadOnlyList<string> enabledBuiltIns, IReadOnlyList<string> defaultTools, CancellationToken cancellationToken)
    {
        var enabled = enabledBuiltIns.Distinct(StringComparer.Ordinal).ToArray();
        if (enabled.FirstOrDefault(name => BuiltInTools.Find(name) is null) is { } unknownBuiltIn)
            throw new ToolValidationException("enabled_built_ins", $"'{unknownBuiltIn}' is not a built-in tool (available: {string.Join(", ", BuiltInTools.Names)}).");

        var defaults = defaultTools.Distinct(StringComparer.Ordinal).ToArray();
        if (defaults.Length > MaxDefaultTools)
            throw new ToolValidationException("default_tools", $"At most {MaxDefaultTools} default tools.");
        var registered = await tools.ExistingNamesAsync(tenantId, [.. defaults.Where(name => BuiltInTools.Find(name) is null)], cancellationToken);
        foreach (var name in defaults)
        {
            if (BuiltInTools.Find(name) is not null)
            {
                if (!enabled.Contains(name)) throw new ToolValidationException("default_tools", $"'{name}' is a built-in that is not enabled.");
            }
            else if (!registered.Contains(name))
            {
                throw new ToolValidationException("default_tools", $"'{name}' is not a registered tool.");
            }
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO tool_settings (tenant_id, enabled_built_ins, default_tools) VALUES (@tenant, @enabled, @defaults)
            ON CONFLICT (tenant_id) DO UPDATE SET enabled_built_ins = excluded.enabled_built_ins, default_tools = excluded.default_tools, updated_at = now()
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("enabled", enabled);
        command.Parameters.AddWithValue("defaults", defaults);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ToolSettings(enabled, defaults);
    }
}
