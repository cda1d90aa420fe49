using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoicePlatform.Tools.Execution;

public static class ToolExecutionServiceCollectionExtensions
{
    public static IServiceCollection AddToolExecution(this IServiceCollection services)
    {
        services.AddSingleton<ToolExecutor>();
        services.AddSingleton<ToolMetrics>();
        services.AddSingleton<ToolInvokedPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<ToolInvokedPublisher>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
