using Grpc.Core;
using Grpc.Net.Client;
using VoicePlatform.Contracts.Gateway;

namespace VoicePlatform.Gateway.Tests.Grpc;

public class TenantDirectoryServiceTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    private TenantDirectory.TenantDirectoryClient Client()
    {
        var channel = GrpcChannel.ForAddress(context.First.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = context.First.Server.CreateHandler() });
        return new TenantDirectory.TenantDirectoryClient(channel);
    }

    [Fact]
    public async Task Finds_a_tenant_and_reports_unknown_and_invalid_ids()
    {
        var (tenantId, _, _) = await context.CreateTenantWithKeyAsync("Initech");
        var tenant = await Client().GetTenantAsync(new GetTenantRequest { TenantId = tenantId });
        Assert.Equal("Initech", tenant.Name);
        Assert.True(tenant.CreatedAtUnixMs > 0);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => Client().GetTenantAsync(new GetTenantRequest { TenantId = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => Client().GetTenantAsync(new GetTenantRequest { TenantId = "nope" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }
}
