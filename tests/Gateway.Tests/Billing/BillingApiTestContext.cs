extern alias BillingService;

using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Contracts.Events;
using VoicePlatform.TestSupport;
using BillingService::VoicePlatform.Billing.Accounts;

namespace VoicePlatform.Gateway.Tests.Billing;

/// <summary>
/// The real Gateway and the real Billing service, both in-process on their own databases, Billing consuming usage from
/// the test RabbitMQ. The Gateway finds Billing by service discovery as in production (<c>services:billing:grpc:0</c>);
/// only the bytes travel through Billing's in-memory test handler. One per test process (one consumer per queue).
/// </summary>
public sealed class BillingApiTestContext : IAsyncLifetime
{
    public const string OperatorKey = "billing-test-operator-key";

    private GatewayWithService<AccountStore>? _platform;

    private GatewayWithService<AccountStore> Platform => _platform ?? throw new InvalidOperationException("not initialised");

    public WebApplicationFactory<Program> Gateway => Platform.Gateway;

    public async Task InitializeAsync() =>
        _platform = await GatewayWithService<AccountStore>.StartAsync("billing", OperatorKey,
            (services, handler) =>
            {
                services.AddGrpcClient<BillingUsage.BillingUsageClient>().ConfigurePrimaryHttpMessageHandler(handler);
                services.AddGrpcClient<BillingAccounts.BillingAccountsClient>().ConfigurePrimaryHttpMessageHandler(handler);
            });

    /// <summary>A new tenant (its id) and an HTTP client authenticated with its API key.</summary>
    public Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Billing tenant") => Platform.NewTenantAsync(name);

    /// <summary>Publishes events (SessionStarted, ...) on the bus as the Router would, without waiting for them.</summary>
    public async Task PublishAsync<T>(params T[] events) where T : class
    {
        var bus = Platform.Service.Factory.Services.GetRequiredService<IBus>();
        foreach (var message in events) await bus.Publish(message);
    }

    /// <summary>Publishes usage on the bus as the Router would, and waits until the session's cost shows it.</summary>
    public async Task RecordAsync(HttpClient tenant, params UsageRecorded[] events)
    {
        var bus = Platform.Service.Factory.Services.GetRequiredService<IBus>();
        foreach (var usage in events) await bus.Publish(usage);
        foreach (var session in events.GroupBy(e => e.SessionId))
        {
            var expected = session.Count();
            var response = await Poll.UntilAsync(
                async () => (await tenant.GetAsync($"/v1/sessions/{session.Key}/cost")) is { IsSuccessStatusCode: true } ok
                    ? (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").GetInt64()
                    : 0,
                events => events >= expected, TimeSpan.FromSeconds(20));
            Assert.Equal(expected, response);
        }
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
    }
}
