namespace VoicePlatform.Router.WarmUp;

public static class RelayWarmUpServiceCollectionExtensions
{
    /// <summary>The relay warm-up (section <c>WarmUp</c>); providers add their <see cref="IProviderWarmUp"/> themselves.</summary>
    public static IServiceCollection AddRelayWarmUp(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RelayWarmUpOptions>(configuration.GetSection(RelayWarmUpOptions.SectionName));
        services.AddSingleton<RelayWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayWarmUp>());
        services.AddHealthChecks().AddCheck<RelayWarmUp>("relay-warm-up");
        return services;
    }
}
