using Microsoft.Extensions.Options;

namespace VoicePlatform.Console.Gateway;

public static class GatewayApiExtensions
{
    public static IServiceCollection AddGatewayApi(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<SignedInUser>();
        services.AddHttpClient<GatewayApi>((provider, http) =>
            http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<ConsoleOptions>>().Value.GatewayUrl));
        return services;
    }
}
