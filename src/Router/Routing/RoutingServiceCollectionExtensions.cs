using VoicePlatform.Router.Routing.Fallback;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Routing.Sessions;
using VoicePlatform.Router.Routing.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;

namespace VoicePlatform.Router.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>Routes and experiments in the Router's own database (<c>ConnectionStrings:postgres-router</c>); section <c>Routing</c>.</summary>
    public static WebApplicationBuilder AddRouting(this WebApplicationBuilder builder)
    {
        builder.AddPostgresDatabase("postgres-router", typeof(RouteStore).Assembly);
        builder.Services.Configure<RoutingOptions>(builder.Configuration.GetSection(RoutingOptions.SectionName));
        builder.Services.AddSingleton<RouteStore>();
        builder.Services.AddSingleton<ExperimentStore>();
        builder.Services.AddSingleton<RoutingCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RoutingCache>());
        builder.Services.AddSingleton<RouteResolver>();
        builder.Services.AddSingleton<SessionTargets>();
        builder.Services.Configure<ConnectFallbackOptions>(builder.Configuration.GetSection(ConnectFallbackOptions.SectionName));
        builder.Services.AddSingleton<ProviderCircuits>();
        builder.Services.AddSingleton<RoutingMetrics>();
        builder.Services.AddSingleton<ConnectFallback>();
        builder.Services.AddSingleton<MidSessionFallback>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
