namespace VoicePlatform.Tools.Registry;

public static class ToolRegistryServiceCollectionExtensions
{
    /// <summary>Tenants' tools and tool settings; limits from <c>Tools</c> (<see cref="ToolRegistryOptions"/>).</summary>
    public static IServiceCollection AddToolRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolRegistryOptions>().Bind(configuration.GetSection(ToolRegistryOptions.Section)).ValidateOnStart()
            .Validate(o => o.MaxToolsPerTenant > 0, "Tools:MaxToolsPerTenant must be positive");
        return services
            .AddSingleton<ToolStore>()
            .AddSingleton<ToolSettingsStore>()
            .AddSingleton<ToolSpecValidator>();
    }
}
