using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Gateway.Tests;

/// <summary>
/// The real Gateway and one real downstream service, both in-process on their own databases. The Gateway finds the
/// service by service discovery as in production (<c>services:{name}:grpc:0</c>); only the bytes travel through the
/// service's in-memory test handler instead of a socket. <paramref name="grpcClients"/> names the Gateway's gRPC clients
/// of that service (each gets the handler).
/// </summary>
public sealed class GatewayWithService<TServiceMarker>(InProcessService<TServiceMarker> service, InProcessService<Program> gateway, string operatorKey)
    : IAsyncDisposable where TServiceMarker : class
{
    public InProcessService<TServiceMarker> Service => service;

    public WebApplicationFactory<Program> Gateway => gateway.Factory;

    public static async Task<GatewayWithService<TServiceMarker>> StartAsync(string name, string operatorKey,
        Action<IServiceCollection, Func<HttpMessageHandler>> grpcClients, Action<IWebHostBuilder>? configureService = null,
        Action<IWebHostBuilder>? configureGateway = null)
    {
        var service = await InProcessService<TServiceMarker>.StartAsync(name, configure: configureService);
        await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var server = service.Factory.Server;
        var gateway = await InProcessService<Program>.StartAsync("gateway", configure: web =>
        {
            web.UseSetting("Gateway:OperatorKey", operatorKey);
            web.UseSetting($"services:{name}:grpc:0", $"http://{name}.test");
            configureGateway?.Invoke(web);
            web.ConfigureTestServices(services => grpcClients(services, server.CreateHandler));
        });
        return new GatewayWithService<TServiceMarker>(service, gateway, operatorKey);
    }

    /// <summary>A new tenant (its id) and an HTTP client authenticated with its API key.</summary>
    public async Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name)
    {
        using var admin = Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        var (tenantId, _, key) = await TenantSetup.CreateTenantWithKeyAsync(admin, name);
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (Guid.Parse(tenantId), client);
    }

    public async ValueTask DisposeAsync()
    {
        await gateway.DisposeAsync();
        await service.DisposeAsync();
    }
}
