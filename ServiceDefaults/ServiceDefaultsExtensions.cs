using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using VoicePlatform.ServiceDefaults.Health;
using VoicePlatform.ServiceDefaults.Management;
using VoicePlatform.ServiceDefaults.Telemetry;

namespace VoicePlatform.ServiceDefaults;

/// <summary>
/// One call per service: telemetry, health, service discovery, HTTP resilience and graceful shutdown,
/// following the .NET Aspire ServiceDefaults template.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigurePlatformTelemetry();
        builder.AddManagementPort();

        builder.Services.AddHealthChecks()
            // "live" only says the process can answer; dependencies are "ready" checks.
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(options =>
            options.UnsafePreferInlineScheduling = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1");

        builder.Services.Configure<HostOptions>(options =>
        {
            var seconds = builder.Configuration.GetValue("ShutdownTimeoutSeconds", 30);
            options.ShutdownTimeout = TimeSpan.FromSeconds(seconds);
        });

        return builder;
    }

    /// <summary>
    /// Maps /health (ready), /alive (live), /metrics (Prometheus), on the management port when one is configured
    /// (<see cref="ManagementOptions"/>), and grpc.health.v1.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseManagementPortSeparation();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .WithMetadata(ManagementEndpointMetadata.Instance);
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).WithMetadata(ManagementEndpointMetadata.Instance);
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(ManagementEndpointMetadata.Instance);
        app.MapGrpcHealthChecksService();
        return app;
    }
}
