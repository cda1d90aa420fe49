using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.RouterSessions;

public static class RouterSessionStreamsServiceCollectionExtensions
{
    /// <summary>The session transport <c>Gateway:Realtime:RouterTransport</c> names (gRPC unless set).</summary>
    public static IServiceCollection AddRouterSessionStreams(this IServiceCollection services)
    {
        services.AddSingleton<GrpcRouterSessionStreams>();
        services.AddSingleton<SocketRouterSessionStreams>();
        services.AddSingleton<IRouterSessionStreams>(provider =>
        {
            var transport = provider.GetRequiredService<IOptions<RealtimeOptions>>().Value.RouterTransport;
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IRouterSessionStreams))
                .LogInformation("Sessions reach the Routers over {RouterTransport}", transport);
            return transport == RouterSessionTransport.WebSocket
                ? provider.GetRequiredService<SocketRouterSessionStreams>()
                : provider.GetRequiredService<GrpcRouterSessionStreams>();
        });
        return services;
    }
}
