using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Billing.Accounts;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// The Billing service in-process (its real Program.cs via <see cref="WebApplicationFactory{TEntryPoint}"/>; any public
/// type of the service assembly locates the entry point) on its own fresh database, consuming from the test RabbitMQ.
/// One instance per test process: two would compete for the same "billing-tenant-created" queue.
/// </summary>
public sealed class BillingServiceFixture : IAsyncLifetime
{
    private WebApplicationFactory<AccountStore>? _factory;
    private GrpcChannel? _channel;

    public string DatabaseConnectionString { get; private set; } = "";

    public WebApplicationFactory<AccountStore> Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised");

    public BillingAccounts.BillingAccountsClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var services = await BackingServices.GetAsync();
        DatabaseConnectionString = services.NewDatabaseConnectionString("billing");
        _factory = new WebApplicationFactory<AccountStore>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:postgres-billing", DatabaseConnectionString)
            .UseSetting("ConnectionStrings:redis", services.RedisConnectionString)
            .UseSetting("ConnectionStrings:rabbitmq", services.RabbitMqConnectionString));
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        Client = new BillingAccounts.BillingAccountsClient(_channel);

        // The bus starts in the background; until its receive endpoint is bound, a published event would have no queue
        // to land in. /health includes MassTransit's readiness check, so wait for it.
        using var http = _factory.CreateClient();
        var health = await Poll.UntilAsync(() => http.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        if (health.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Billing never became ready: {await health.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<BillingServiceFixture>
{
    public const string Name = "billing";
}
