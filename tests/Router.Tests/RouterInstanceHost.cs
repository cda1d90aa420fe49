using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Instances;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests;

/// <summary>
/// A Router instance in-process (its real Program.cs via <see cref="WebApplicationFactory{TEntryPoint}"/>; any public
/// type of the service assembly locates the entry point) against the test Redis and RabbitMQ.
/// </summary>
public sealed class RouterInstanceHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<RouterInstance> _factory;
    private readonly GrpcChannel _channel;

    private RouterInstanceHost(BackingServices services)
    {
        _factory = new WebApplicationFactory<RouterInstance>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:redis", services.RedisConnectionString)
            .UseSetting("ConnectionStrings:rabbitmq", services.RabbitMqConnectionString));
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        Client = new RealtimeRouter.RealtimeRouterClient(_channel);
    }

    public static async Task<RouterInstanceHost> StartAsync() => new(await BackingServices.GetAsync());

    public RealtimeRouter.RealtimeRouterClient Client { get; }

    public WebApplicationFactory<RouterInstance> Factory => _factory;

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
    }
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
