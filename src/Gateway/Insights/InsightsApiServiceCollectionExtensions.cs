using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

public static class InsightsApiServiceCollectionExtensions
{
    // See DownstreamServices for why gRPC clients opt out of the standard resilience handler.
#pragma warning disable EXTEXP0001
    /// <summary>The Insights service's <c>InsightsQuery</c> client, resolved by service discovery (<c>services:insights:grpc</c>).</summary>
    public static IServiceCollection AddInsightsApi(this IServiceCollection services)
    {
        services.AddGrpcClient<InsightsQuery.InsightsQueryClient>(o => o.Address = new Uri("http://_grpc.insights"))
            .RemoveAllResilienceHandlers();
        return services;
    }
#pragma warning restore EXTEXP0001
}
