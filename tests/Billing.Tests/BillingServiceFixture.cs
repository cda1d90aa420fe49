using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.Billing.Accounts;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// The Billing service in-process on its own fresh database, consuming from the test RabbitMQ.
/// One instance per test process: two would compete for the same "billing-tenant-created" queue.
/// It prices with the shipped catalog plus one future price version (<see cref="TestPriceCatalog"/>).
/// </summary>
public sealed class BillingServiceFixture : IAsyncLifetime
{
    private InProcessService<AccountStore>? _service;

    private InProcessService<AccountStore> Service => _service ?? throw new InvalidOperationException("Fixture not initialised");

    public string DatabaseConnectionString => Service.DatabaseConnectionString!;

    public WebApplicationFactory<AccountStore> Factory => Service.Factory;

    public BillingAccounts.BillingAccountsClient Client { get; private set; } = null!;

    public BillingUsage.BillingUsageClient Usage { get; private set; } = null!;

    /// <summary>The catalog the service runs with: the shipped one plus a future price version (<see cref="TestPriceCatalog"/>).</summary>
    public string PriceCatalogPath { get; private set; } = "";

    /// <summary>The catalog deployment the service runs with (serving <c>gpt-realtime-2.1</c> through provider <c>azure</c>).</summary>
    public const string DeploymentId = "azure-gpt-realtime-2.1";

    public async Task InitializeAsync()
    {
        PriceCatalogPath = TestPriceCatalog.WriteFile();
        _service = await InProcessService<AccountStore>.StartAsync("billing",
            configure: web =>
            {
                web.UseSetting("Billing:PriceCatalogPath", PriceCatalogPath);
                // A catalog deployment (an Azure instance of gpt-realtime-2.1): billed as the model it serves.
                web.UseSetting("ModelCatalog:Deployments:0:Id", DeploymentId);
                web.UseSetting("ModelCatalog:Deployments:0:Provider", "azure");
                web.UseSetting("ModelCatalog:Deployments:0:Model", "gpt-realtime-2.1");
                web.UseSetting("ModelCatalog:Deployments:0:UpstreamModel", "contoso-realtime");
            });
        Client = new BillingAccounts.BillingAccountsClient(_service.Channel);
        Usage = new BillingUsage.BillingUsageClient(_service.Channel);
        await _service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        if (PriceCatalogPath.Length > 0) File.Delete(PriceCatalogPath);
    }
}

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<BillingServiceFixture>
{
    public const string Name = "billing";
}
