using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

public static class BillingApiServiceCollectionExtensions
{
    // See DownstreamServices for why gRPC clients opt out of the standard resilience handler.
#pragma warning disable EXTEXP0001
    /// <summary>
    /// The Billing service's <c>BillingUsage</c> (ledger reads) and <c>BillingAccounts</c> (budgets) clients, resolved by
    /// service discovery (<c>services:billing:grpc</c>).
    /// </summary>
    public static IServiceCollection AddBillingApi(this IServiceCollection services)
    {
        services.AddGrpcClient<BillingUsage.BillingUsageClient>(o => o.Address = new Uri("http://_grpc.billing"))
            .RemoveAllResilienceHandlers();
        services.AddGrpcClient<BillingAccounts.BillingAccountsClient>(o => o.Address = new Uri("http://_grpc.billing"))
            .RemoveAllResilienceHandlers();
        return services;
    }
#pragma warning restore EXTEXP0001
}
