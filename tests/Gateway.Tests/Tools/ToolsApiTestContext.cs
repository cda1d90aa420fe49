extern alias ToolsService;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;
using ToolsService::VoicePlatform.Tools.Registry;

namespace VoicePlatform.Gateway.Tests.Tools;

/// <summary>
/// The real Gateway and the real Tools service (<see cref="GatewayWithService{TServiceMarker}"/>), plus a local webhook
/// server the Tools service may call (loopback allow-listed, as an operator would allow an internal host).
/// </summary>
public sealed class ToolsApiTestContext : IAsyncLifetime
{
    private GatewayWithService<ToolStore>? _platform;

    public WebApplicationFactory<Program> Gateway => (_platform ?? throw new InvalidOperationException("not initialised")).Gateway;

    public LocalWebhookServer Webhooks { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Webhooks = await LocalWebhookServer.StartAsync();
        _platform = await GatewayWithService<ToolStore>.StartAsync("tools", "tools-test-operator-key",
            (services, handler) =>
            {
                services.AddGrpcClient<ToolRegistry.ToolRegistryClient>().ConfigurePrimaryHttpMessageHandler(handler);
                services.AddGrpcClient<ToolExecution.ToolExecutionClient>().ConfigurePrimaryHttpMessageHandler(handler);
            },
            configureService: web => web.UseSetting("Tools:Webhooks:AllowedTargets:0", "127.0.0.1"));
    }

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public async Task<HttpClient> NewTenantClientAsync(string name = "Tools tenant") => (await _platform!.NewTenantAsync(name)).Client;

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
        if (Webhooks is not null) await Webhooks.DisposeAsync();
    }
}
