namespace VoicePlatform.Tools.Registry;

public static class ToolRegistryServiceCollectionExtensions
{
    public static IServiceCollection AddToolRegistry(this IServiceCollection services) => services
        .AddSingleton<ToolStore>()
        .AddSingleton<ToolSettingsStore>()
        .AddSingleton<ToolSpecValidator>();
}
