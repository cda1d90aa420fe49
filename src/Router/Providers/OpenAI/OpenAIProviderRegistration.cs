using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

public static class OpenAIProviderRegistration
{
    public static IServiceCollection AddOpenAIProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpenAIProviderOptions>(configuration.GetSection(OpenAIProviderOptions.SectionName));
        services.AddSingleton<IProviderConnector, OpenAIConnector>();
        return services;
    }
}
