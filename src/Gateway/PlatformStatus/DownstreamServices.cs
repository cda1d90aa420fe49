using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.PlatformStatus;

/// <summary>
/// gRPC clients for the services the Gateway calls, resolved by service discovery (<c>http://_grpc.router</c> reads
/// <c>services:router:grpc</c>). The standard HTTP resilience handler is removed from them: its total-request timeout
/// would cut long-lived streams, and gRPC calls set their own deadlines.
/// </summary>
public static class DownstreamServices
{
    public static readonly string[] Names = ["router", "tools", "transcripts", "billing", "insights"];

    // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt a client out of
    // ServiceDefaults' standard handler, and its absence would only surface as a compile error here.
#pragma warning disable EXTEXP0001
    public static IServiceCollection AddDownstreamServices(this IServiceCollection services)
    {
        services.AddGrpcClient<RealtimeRouter.RealtimeRouterClient>(o => o.Address = GrpcAddress("router"))
            .ConfigureChannel(channel =>
            {
                // Whole client events (up to 15 MiB) and provider events travel on the session stream.
                channel.MaxSendMessageSize = SessionStreamLimits.MaxStreamMessageBytes;
                channel.MaxReceiveMessageSize = SessionStreamLimits.MaxStreamMessageBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // One session is one HTTP/2 stream; servers cap streams per connection (Kestrel: 100), so open more
                // connections instead of queueing sessions behind that cap.
                EnableMultipleHttp2Connections = true,
                // A dead Router's address may swallow connection attempts instead of refusing them (a deleted pod's IP):
                // fail fast so the session re-attaches to another instance within the failover budget.
                ConnectTimeout = TimeSpan.FromSeconds(1),
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            })
            .RemoveAllResilienceHandlers();
        foreach (var name in Names)
        {
            services.AddGrpcClient<Health.HealthClient>(HealthClientName(name), o => o.Address = GrpcAddress(name))
                .RemoveAllResilienceHandlers();
        }
        return services;
    }
#pragma warning restore EXTEXP0001

    public static Health.HealthClient HealthClient(this GrpcClientFactory factory, string service) =>
        factory.CreateClient<Health.HealthClient>(HealthClientName(service));

    private static string HealthClientName(string service) => $"{service}-health";

    private static Uri GrpcAddress(string service) => new($"http://_grpc.{service}");
}
