using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Providers.Gemini;

public static class GeminiProviderRegistration
{
    /// <summary>
    /// Registers one Gemini Live connector per provider instance of kind <c>gemini</c> (<c>Providers:Gemini</c>, key
    /// <c>google</c>, and e.g. <c>Providers:Vertex</c>), each with its own named options.
    /// </summary>
    public static IServiceCollection AddGeminiProvider(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var instance in ProviderInstances.OfKind(configuration, ProviderKinds.Gemini))
        {
            var name = $"{ProviderInstances.SectionName}:{instance.Name}";
            services.AddOptions<GeminiProviderOptions>(instance.Key)
                .Bind(instance.Section)
                .Validate(o => Uri.TryCreate(o.EffectiveBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" or "http" or "https",
                    $"{name}:BaseUrl must be an absolute ws(s):// or http(s):// URL.")
                .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.SetupTimeout > TimeSpan.Zero,
                    $"{name} connect and setup timeouts must be positive.")
                .Validate(o => o.ValidationError() is null, $"{name}: Platform or Vertex settings are incomplete: Platform must be developer or vertex; vertex needs Vertex:ServiceAccountKeyFile (an existing file) or ApiKey, and a Location.")
                .ValidateOnStart();
            var key = instance.Key;
            services.AddSingleton<IProviderConnector>(sp => new GeminiConnector(key, sp.GetRequiredService<IOptionsMonitor<GeminiProviderOptions>>(),
                sp.GetRequiredService<ILogger<GeminiConnector>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        }
        services.AddSingleton<IProviderWarmUp, GeminiWarmUp>(); // its part of the relay warm-up (one per kind: it warms code, not instances)
        return services;
    }
}
