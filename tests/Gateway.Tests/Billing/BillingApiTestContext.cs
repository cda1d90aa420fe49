extern alias BillingService;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
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
    private const string OperatorKey = "billing-test-operator-key";

    private InProcessService<AccountStore>? _billing;
    private InProcessService<Program>? _gateway;

    public WebApplicationFactory<Program> Gateway => (_gateway ?? throw new InvalidOperationException("not initialised")).Factory;

    public async Task InitializeAsync()
    {
        _billing = await InProcessService<AccountStore>.StartAsync("billing");
        await _billing.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        var billingServer = _billing.Factory.Server;
        _gateway = await InProcessService<Program>.StartAsync("gateway", configure: web =>
        {
            web.UseSetting("Gateway:OperatorKey", OperatorKey);
            web.UseSetting("services:billing:grpc:0", "http://billing.test");
            web.ConfigureTestServices(services => services.AddGrpcClient<BillingUsage.BillingUsageClient>()
                .ConfigurePrimaryHttpMessageHandler(() => billingServer.CreateHandler()));
        });
    }

    /// <summary>A new tenant (its id) and an HTTP client authenticated with its API key.</summary>
    public async Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Billing tenant")
    {
        using var admin = Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "test" });
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (Guid.Parse(tenantId), client);
    }

    /// <summary>Publishes usage on the bus as the Router would, and waits until the session's cost shows it.</summary>
    public async Task RecordAsync(HttpClient tenant, params UsageRecorded[] events)
    {
        var bus = _billing!.Factory.Services.GetRequiredService<IBus>();
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
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_billing is not null) await _billing.DisposeAsync();
    }
}
