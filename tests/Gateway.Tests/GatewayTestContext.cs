using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests;

/// <summary>Two Gateway instances sharing one database and Redis, like two replicas behind a load balancer.</summary>
public sealed class GatewayTestContext : IAsyncLifetime
{
    public const string OperatorKey = "test-operator-key";

    public GatewayFactory First { get; private set; } = null!;
    public GatewayFactory Second { get; private set; } = null!;
    public string PostgresConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var services = await BackingServices.GetAsync();
        PostgresConnectionString = services.NewDatabaseConnectionString("gateway");
        First = new GatewayFactory(PostgresConnectionString, services.RedisConnectionString, services.RabbitMqConnectionString, OperatorKey);
        Second = new GatewayFactory(PostgresConnectionString, services.RedisConnectionString, services.RabbitMqConnectionString, OperatorKey);
        _ = First.Server; // start (runs migrations) before the second one
        _ = Second.Server;
        await Task.CompletedTask;
    }

    public HttpClient Operator(GatewayFactory gateway)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return client;
    }

    public static HttpClient Tenant(GatewayFactory gateway, string apiKey)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async Task<(string TenantId, string KeyId, string ApiKey)> CreateTenantWithKeyAsync(string name = "Acme")
    {
        using var admin = Operator(First);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "test" });
        issued.EnsureSuccessStatusCode();
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        return (tenantId, key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
