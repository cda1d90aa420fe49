extern alias ToolsService;

using System.Diagnostics.Metrics;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Tools;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Webhooks;
using ToolsService::VoicePlatform.Tools.Registry;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// The real Tools service in-process on its own database, with a real webhook server it may call (127.0.0.1 is on its
/// allow-list). Tools are registered through its gRPC registry; each test uses its own tenant, so tests stay apart.
/// </summary>
public sealed class ToolsServiceFixture : IAsyncLifetime
{
    private InProcessService<ToolStore>? _service;

    private InProcessService<ToolStore> Service => _service ?? throw new InvalidOperationException("Fixture not initialised");

    public LocalWebhookServer Webhooks { get; private set; } = null!;

    public GrpcChannel Channel => Service.Channel;

    public ToolRegistry.ToolRegistryClient Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Webhooks = await LocalWebhookServer.StartAsync();
        _service = await InProcessService<ToolStore>.StartAsync("tools", configure: web =>
        {
            web.UseSetting("Tools:Webhooks:AllowedTargets:0", "127.0.0.1");
        });
        Registry = new ToolRegistry.ToolRegistryClient(_service.Channel);
    }

    /// <summary>Registers a webhook tool answering at <paramref name="path"/> of <see cref="Webhooks"/> (arguments: an optional "city").</summary>
    public async Task<RegisteredTool> RegisterAsync(string tenantId, string name, string path, int timeoutMs = 0)
    {
        var created = await Registry.CreateToolAsync(new CreateToolRequest
        {
            TenantId = tenantId,
            Tool = new ToolSpec
            {
                Name = name,
                Description = $"Test tool {name}",
                ParametersJson = """{"type":"object","properties":{"city":{"type":"string"}}}""",
                WebhookUrl = Webhooks.Url(path),
                TimeoutMs = timeoutMs,
            },
        });
        return created.Tool;
    }

    public async Task SetDefaultToolsAsync(string tenantId, params string[] names) =>
        await Registry.SetToolSettingsAsync(new SetToolSettingsRequest
        {
            TenantId = tenantId,
            EnabledBuiltIns = { "get_current_time", "end_session" },
            DefaultTools = { names },
        });

    /// <summary>
    /// The Router's side, talking to this Tools service; with <paramref name="executionChannel"/>, its ExecuteTool
    /// calls go there instead (a closed port, for outage tests); its timers (the end_session grace) run on <paramref name="time"/>.
    /// </summary>
    public ServerTools CreateServerTools(ILoggerFactory loggers, GrpcChannel? executionChannel = null, TimeProvider? time = null)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var options = Options.Create(new ServerToolsOptions { Enabled = true, EndSessionGrace = TimeSpan.FromSeconds(10) });
        return new ServerTools(new ToolRegistry.ToolRegistryClient(Channel), new ToolExecution.ToolExecutionClient(executionChannel ?? Channel), options,
            new ServerToolMetrics(meters), loggers, time);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        if (Webhooks is not null) await Webhooks.DisposeAsync();
    }
}
