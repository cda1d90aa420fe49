using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoicePlatform.Tools.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhook calls: SSRF policy, the signed HTTP client, per-tenant, per-endpoint circuit breakers (<c>Tools:Webhooks</c>).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart()
            .Validate(o => o.MaxResponseBytes > 0, "Tools:Webhooks:MaxResponseBytes must be positive")
            .Validate(o => o.CircuitBreaker.MinimumThroughput >= 2, "Tools:Webhooks:CircuitBreaker:MinimumThroughput must be at least 2")
            .Validate(o => o.CircuitBreaker.FailureRatio is > 0 and <= 1, "Tools:Webhooks:CircuitBreaker:FailureRatio must be in (0, 1]");
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<WebhookTargetPolicy>();
        services.AddSingleton<WebhookHttpClient>();
        services.AddSingleton<WebhookResiliencePipelines>();
        services.AddSingleton<WebhookInvoker>();
        return services;
    }
}
