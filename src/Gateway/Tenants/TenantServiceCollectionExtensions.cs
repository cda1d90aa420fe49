namespace VoicePlatform.Gateway.Tenants;

public static class TenantServiceCollectionExtensions
{
    public static IServiceCollection AddTenants(this IServiceCollection services) => services.AddSingleton<TenantStore>();
}
