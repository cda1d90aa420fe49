namespace VoicePlatform.Tools.BuiltIns;

public static class BuiltInToolServiceCollectionExtensions
{
    public static IServiceCollection AddBuiltInTools(this IServiceCollection services) => services
        .AddSingleton<IBuiltInTool, CurrentTimeTool>()
        .AddSingleton<IBuiltInTool, EndSessionTool>();
}
