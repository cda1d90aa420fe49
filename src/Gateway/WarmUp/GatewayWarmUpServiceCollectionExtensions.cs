using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoicePlatform.Gateway.WarmUp;

public static class GatewayWarmUpServiceCollectionExtensions
{
    /// <summary>The relay warm-up (section <c>Gateway:WarmUp</c>) and its readiness check.</summary>
    public static IServiceCollection AddGatewayWarmUp(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayWarmUpOptions>(configuration.GetSection(GatewayWarmUpOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<GatewayWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayWarmUp>());
        services.AddHealthChecks().AddCheck<GatewayWarmUp>("gateway-warm-up");
        return services;
    }
}
