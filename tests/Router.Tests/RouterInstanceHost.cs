using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Instances;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests;

/// <summary>A Router instance in-process against the test Redis and RabbitMQ, with its own fresh database.</summary>
public sealed class RouterInstanceHost : IAsyncDisposable
{
    private readonly InProcessService<RouterInstance> _service;

    private RouterInstanceHost(InProcessService<RouterInstance> service)
    {
        _service = service;
        Client = new RealtimeRouter.RealtimeRouterClient(service.Channel);
    }

    public static async Task<RouterInstanceHost> StartAsync() => new(await InProcessService<RouterInstance>.StartAsync(database: "router"));

    public RealtimeRouter.RealtimeRouterClient Client { get; }

    public WebApplicationFactory<RouterInstance> Factory => _service.Factory;

    public ValueTask DisposeAsync() => _service.DisposeAsync();
}

public sealed class RouterFixture : IAsyncLifetime
{
    private RouterInstanceHost? _host;

    public RouterInstanceHost Host => _host ?? throw new InvalidOperationException("Fixture not initialised");

    public string RedisConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        RedisConnectionString = (await BackingServices.GetAsync()).RedisConnectionString;
        _host = await RouterInstanceHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
