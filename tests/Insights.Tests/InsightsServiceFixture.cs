using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Insights.Ingest;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Insights.Tests;

/// <summary>
/// The Insights service in-process on its own fresh database, consuming from the test run's RabbitMQ. One instance for
/// the whole assembly (<see cref="InsightsCollection"/>): two instances would compete for the same queues. It can be
/// stopped and started again on the same database (the "down for a minute" test). The periodic retention job is off;
/// retention tests run it directly on their own database.
/// </summary>
public sealed class InsightsServiceFixture : IAsyncLifetime
{
    private InProcessService<TurnIngest>? _service;
    private string? _databaseConnectionString;

    private InProcessService<TurnIngest> Service => _service ?? throw new InvalidOperationException("The Insights service is not running");

    public InsightsQuery.InsightsQueryClient Client { get; private set; } = null!;

    /// <summary>The service's own bus: what the tests publish travels through RabbitMQ to its consumers like the Gateway's events will.</summary>
    public IBus Bus => Service.Factory.Services.GetRequiredService<IBus>();

    public IServiceProvider Services => Service.Factory.Services;

    public string DatabaseConnectionString => _databaseConnectionString ?? throw new InvalidOperationException("Fixture not initialised");

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        _service = await InProcessService<TurnIngest>.StartAsync("insights", _databaseConnectionString,
            configure: web => web.UseSetting("Insights:Retention:Enabled", "false"));
        _databaseConnectionString = _service.DatabaseConnectionString;
        Client = new InsightsQuery.InsightsQueryClient(_service.Channel);
        await _service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops the service (its consumers with it); its durable queues keep what is published meanwhile.</summary>
    public async Task StopAsync()
    {
        if (_service is null) return;
        await _service.DisposeAsync();
        _service = null;
    }

    public async Task DisposeAsync() => await StopAsync();
}
