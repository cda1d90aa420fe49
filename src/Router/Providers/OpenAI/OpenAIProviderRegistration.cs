using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Providers.OpenAI;

public static class OpenAIProviderRegistration
{
    /// <summary>
    /// Registers one OpenAI Realtime connector per provider instance of kind <c>openai</c> (<c>Providers:OpenAI</c>,
    /// and e.g. <c>Providers:Azure</c> or <c>Providers:XAI</c>), each with its own named options.
    /// </summary>
    public static IServiceCollection AddOpenAIProvider(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var instance in ProviderInstances.OfKind(configuration, ProviderKinds.OpenAI))
        {
            var name = $"{ProviderInstances.SectionName}:{instance.Name}";
            services.AddOptions<OpenAIProviderOptions>(instance.Key)
                .Bind(instance.Section)
                .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss",
                    $"{name}:BaseUrl must be an absolute ws:// or wss:// URL.")
                .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.SessionMaxDuration > TimeSpan.Zero,
                    $"{name} connect timeout and session cap must be positive.")
                .Validate(o => o.ValidationError() is null, $"{name}: Auth must be bearer, api-key or entra (with valid Entra settings), Dialect openai or xai.")
                .ValidateOnStart();
            var key = instance.Key;
            services.AddSingleton<IProviderConnector>(sp =>
                new OpenAIConnector(key, sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>(), sp.GetRequiredService<ILoggerFactory>(),
                    sp.GetService<TimeProvider>()));
        }
        services.AddSingleton<IProviderWarmUp, OpenAIWarmUp>(); // its part of the relay warm-up (one per kind: it warms code, not instances)
        return services;
    }
}
