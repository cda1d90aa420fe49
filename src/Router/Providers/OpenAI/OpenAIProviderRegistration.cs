using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Providers.OpenAI;

public static class OpenAIProviderRegistration
{
    public static IServiceCollection AddOpenAIProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpenAIProviderOptions>(configuration.GetSection(OpenAIProviderOptions.SectionName));
        services.AddSingleton<IProviderConnector, OpenAIConnector>();
        services.AddSingleton<IProviderWarmUp, OpenAIWarmUp>(); // its part of the relay warm-up
        return services;
    }
}
