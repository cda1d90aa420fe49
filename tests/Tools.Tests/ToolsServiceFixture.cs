using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Tests;

/// <summary>The Tools service in-process on its own fresh database.</summary>
public sealed class ToolsServiceFixture : IAsyncLifetime
{
    private InProcessService<ToolStore>? _service;

    private InProcessService<ToolStore> Service => _service ?? throw new InvalidOperationException("Fixture not initialised");

    public string DatabaseConnectionString => Service.DatabaseConnectionString!;

    public WebApplicationFactory<ToolStore> Factory => Service.Factory;

    public ToolRegistry.ToolRegistryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _service = await InProcessService<ToolStore>.StartAsync("tools");
        Client = new ToolRegistry.ToolRegistryClient(_service.Channel);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }
}
