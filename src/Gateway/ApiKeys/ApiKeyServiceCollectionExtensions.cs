using VoicePlatform.Gateway.ApiKeys.Throttling;

namespace VoicePlatform.Gateway.ApiKeys;

public static class ApiKeyServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiKeyOptions>(configuration.GetSection("Gateway"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<TenantKeyAuthenticator>();
        services.AddSingleton<LiveKeySessions>();
        services.AddHostedService<RevokedKeySweep>();
        services.AddSingleton<KeyRevocationChannel>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyRevocationChannel>());
        services.AddSingleton<RequireTenantKeyFilter>();
        services.Configure<AuthFailureThrottleOptions>(configuration.GetSection(AuthFailureThrottleOptions.SectionName));
        services.AddSingleton<AuthFailureThrottle>();
        return services;
    }
}
