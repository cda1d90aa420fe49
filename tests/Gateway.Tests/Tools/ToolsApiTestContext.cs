extern alias ToolsService;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport;
using ToolsService::VoicePlatform.Tools.Registry;

namespace VoicePlatform.Gateway.Tests.Tools;

/// <summary>
/// The real Gateway and the real Tools service, both in-process on their own databases. The Gateway finds Tools by
/// service discovery as in production (<c>services:tools:grpc:0</c>); only the bytes travel through the Tools
/// test server's in-memory handler instead of a socket.
/// </summary>
public sealed class ToolsApiTestContext : IAsyncLifetime
{
    private const string OperatorKey = "tools-test-operator-key";

    private InProcessService<ToolStore>? _tools;
    private InProcessService<Program>? _gateway;

    public WebApplicationFactory<Program> Gateway => (_gateway ?? throw new InvalidOperationException("not initialised")).Factory;

    public async Task InitializeAsync()
    {
        _tools = await InProcessService<ToolStore>.StartAsync("tools");
        var toolsServer = _tools.Factory.Server;
        _gateway = await InProcessService<Program>.StartAsync("gateway", configure: web =>
        {
            web.UseSetting("Gateway:OperatorKey", OperatorKey);
            web.UseSetting("services:tools:grpc:0", "http://tools.test");
            web.ConfigureTestServices(services => services.AddGrpcClient<ToolRegistry.ToolRegistryClient>()
                .ConfigurePrimaryHttpMessageHandler(() => toolsServer.CreateHandler()));
        });
    }

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public async Task<HttpClient> NewTenantClientAsync(string name = "Tools tenant")
    {
        using var admin = Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "test" });
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_tools is not null) await _tools.DisposeAsync();
    }
}
