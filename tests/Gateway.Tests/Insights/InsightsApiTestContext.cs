extern alias InsightsService;

using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Insights;
using InsightsService::VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Gateway.Tests.Insights;

/// <summary>
/// The real Gateway and the real Insights service, both in-process on their own databases; Insights consumes from the
/// test run's RabbitMQ, so tests record sessions by publishing the quality events on the bus. The Gateway finds
/// Insights by service discovery (<c>services:insights:grpc:0</c>) as in production. One instance for every class that
/// needs it (<see cref="InsightsServiceCollection"/>): two Insights services would compete for the same queues.
/// </summary>
public sealed class InsightsApiTestContext : IAsyncLifetime
{
    private GatewayWithService<TurnIngest>? _platform;

    private GatewayWithService<TurnIngest> Platform => _platform ?? throw new InvalidOperationException("not initialised");

    public WebApplicationFactory<Program> Gateway => Platform.Gateway;

    public IBus Bus => Platform.Service.Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync() =>
        _platform = await GatewayWithService<TurnIngest>.StartAsync("insights", "insights-test-operator-key",
            (services, handler) => services.AddGrpcClient<InsightsQuery.InsightsQueryClient>().ConfigurePrimaryHttpMessageHandler(handler),
            configureService: web => web.UseSetting("Insights:Retention:Enabled", "false"));

    public Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Insights tenant") => Platform.NewTenantAsync(name);

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
    }
}
