namespace VoicePlatform.Router.Instances;

public static class RouterInstanceServiceCollectionExtensions
{
    public static IServiceCollection AddRouterInstance(this IServiceCollection services)
    {
        services.AddSingleton<RouterInstance>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddSingleton<RouterDrain>();
        services.AddHealthChecks().AddCheck<RouterDrain>("drain");
        return services;
    }
}
