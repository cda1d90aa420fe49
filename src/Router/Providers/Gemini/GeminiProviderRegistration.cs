using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Providers.Gemini;

public static class GeminiProviderRegistration
{
    /// <summary>Binds <c>Providers:Gemini</c> and registers the Gemini Live connector (provider key <c>google</c>).</summary>
    public static IServiceCollection AddGeminiProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GeminiProviderOptions>()
            .Bind(configuration.GetSection(GeminiProviderOptions.SectionName))
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" or "http" or "https",
                "Providers:Gemini:BaseUrl must be an absolute ws(s):// or http(s):// URL.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.SetupTimeout > TimeSpan.Zero,
                "Providers:Gemini connect and setup timeouts must be positive.");
        services.AddSingleton<IProviderConnector, GeminiConnector>();
        services.AddSingleton<IProviderWarmUp, GeminiWarmUp>(); // its part of the relay warm-up
        return services;
    }
}
