using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoicePlatform.AppHost.Orchestration.Health;

public static class PromptHealthCheckExtensions
{
    /// <summary>Registers <paramref name="check"/> as <paramref name="name"/>, re-probed promptly while unhealthy (<see cref="PromptHealthCheck"/>), as the resource's health check.</summary>
    public static IResourceBuilder<T> WithPromptHealthCheck<T>(this IResourceBuilder<T> builder, string name, IHealthCheck check) where T : IResource
    {
        builder.ApplicationBuilder.Services.AddHealthChecks().AddCheck(name, new PromptHealthCheck(check));
        return builder.WithHealthCheck(name);
    }
}
