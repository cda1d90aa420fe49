using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Tests;

/// <summary>
/// The Tools service in-process (its real Program.cs, via <see cref="WebApplicationFactory{TEntryPoint}"/>; any public type
/// of the service assembly locates the entry point) on its own fresh database, with the shared Redis/RabbitMQ.
/// </summary>
public sealed class ToolsServiceFixture : IAsyncLifetime
{
    private WebApplicationFactory<ToolStore>? _factory;
    private GrpcChannel? _channel;

    public string DatabaseConnectionString { get; private set; } = "";

    public WebApplicationFactory<ToolStore> Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised");

    public ToolRegistry.ToolRegistryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var services = await BackingServices.GetAsync();
        // The service creates this database and its schema at start-up.
        DatabaseConnectionString = services.NewDatabaseConnectionString("tools");
        _factory = new WebApplicationFactory<ToolStore>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:postgres-tools", DatabaseConnectionString)
            .UseSetting("ConnectionStrings:redis", services.RedisConnectionString)
            .UseSetting("ConnectionStrings:rabbitmq", services.RabbitMqConnectionString));
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        Client = new ToolRegistry.ToolRegistryClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }
}
