extern alias ToolsService;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using ToolsService::VoicePlatform.Tools.Registry;

namespace VoicePlatform.Gateway.Tests.Tools;

/// <summary>The real Gateway and the real Tools service (<see cref="GatewayWithService{TServiceMarker}"/>).</summary>
public sealed class ToolsApiTestContext : IAsyncLifetime
{
    private GatewayWithService<ToolStore>? _platform;

    public WebApplicationFactory<Program> Gateway => (_platform ?? throw new InvalidOperationException("not initialised")).Gateway;

    public async Task InitializeAsync() =>
        _platform = await GatewayWithService<ToolStore>.StartAsync("tools", "tools-test-operator-key",
            (services, handler) => services.AddGrpcClient<ToolRegistry.ToolRegistryClient>().ConfigurePrimaryHttpMessageHandler(handler));

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public async Task<HttpClient> NewTenantClientAsync(string name = "Tools tenant") => (await _platform!.NewTenantAsync(name)).Client;

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
    }
}
