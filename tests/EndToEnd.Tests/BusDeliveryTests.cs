using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class BusDeliveryTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task A_tenant_created_in_the_gateway_reaches_billing_over_rabbitmq()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.OperatorKey);
        var tenantId = await TenantSetup.CreateTenantAsync(http, "Bus test tenant");

        using var channel = GrpcChannel.ForAddress(platform.Endpoints.Grpc["billing"]);
        var billing = new BillingAccounts.BillingAccountsClient(channel);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var account = await billing.GetAccountAsync(new GetAccountRequest { TenantId = tenantId });
                Assert.Equal("Bus test tenant", account.TenantName);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
    }
}
