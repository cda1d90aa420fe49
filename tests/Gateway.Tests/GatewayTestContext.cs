using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Gateway.Tests;

/// <summary>Two Gateway instances (real Program.cs, real PostgreSQL/Redis/RabbitMQ) sharing one database and Redis, like two replicas behind a load balancer.</summary>
public sealed class GatewayTestContext : IAsyncLifetime
{
    public const string OperatorKey = "test-operator-key";
    public const int MaxActiveKeysPerTenant = 4;

    private InProcessService<Program>? _first;
    private InProcessService<Program>? _second;

    public WebApplicationFactory<Program> First => (_first ?? throw new InvalidOperationException("not initialised")).Factory;
    public WebApplicationFactory<Program> Second => (_second ?? throw new InvalidOperationException("not initialised")).Factory;
    public string PostgresConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _first = await InProcessService<Program>.StartAsync("gateway", configure: Configure);
        PostgresConnectionString = _first.DatabaseConnectionString!;
        // The second replica shares the first one's database (started, and so migrated, first).
        _second = await InProcessService<Program>.StartAsync("gateway", PostgresConnectionString, Configure);
    }

    private static void Configure(IWebHostBuilder web)
    {
        web.UseSetting("Gateway:OperatorKey", OperatorKey);
        web.UseSetting("Gateway:ApiKeyCacheSeconds", "30"); // long, so revocation must travel through Redis
        web.UseSetting("Gateway:MaxActiveKeysPerTenant", MaxActiveKeysPerTenant.ToString()); // small, so the cap is cheap to reach
    }

    public HttpClient Operator(WebApplicationFactory<Program> gateway)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return client;
    }

    public static HttpClient Tenant(WebApplicationFactory<Program> gateway, string apiKey)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async Task<(string TenantId, string KeyId, string ApiKey)> CreateTenantWithKeyAsync(string name = "Acme")
    {
        using var admin = Operator(First);
        return await TenantSetup.CreateTenantWithKeyAsync(admin, name);
    }

    public async Task DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
    }
}
