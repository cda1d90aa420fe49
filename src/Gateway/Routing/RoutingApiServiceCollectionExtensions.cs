namespace VoicePlatform.Gateway.Routing;

public static class RoutingApiServiceCollectionExtensions
{
    // RemoveAllResilienceHandlers is experimental; see DownstreamServices for why gRPC clients opt out of the standard
    // handler (here also: a retried create after a lost reply would turn into a 409).
#pragma warning disable EXTEXP0001
    /// <summary>The Router's <c>Routing</c> client, resolved by service discovery (<c>services:router:grpc</c>).</summary>
    public static IServiceCollection AddRoutingApi(this IServiceCollection services)
    {
        services.AddGrpcClient<Contracts.Routing.Routing.RoutingClient>(o => o.Address = new Uri("http://_grpc.router"))
            .RemoveAllResilienceHandlers();
        return services;
    }
#pragma warning restore EXTEXP0001
}
