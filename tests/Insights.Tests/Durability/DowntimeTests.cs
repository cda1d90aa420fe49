using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.TestSupport;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Durability;

/// <summary>
/// Insights down loses nothing: its queues are durable, so what the other services publish while it is stopped
/// (here from a separate publisher process-alike: its own bus, no consumers) waits in RabbitMQ and is consumed after
/// it starts again on the same database.
/// </summary>
[Collection(InsightsCollection.Name)]
public class DowntimeTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Events_published_while_the_service_is_stopped_are_consumed_after_it_restarts()
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        using var publisher = await StartPublisherAsync();
        var bus = publisher.Services.GetRequiredService<IBus>();

        await fixture.StopAsync();
        try
        {
            await bus.Publish(Started(tenant, session, Start));
            for (var i = 0; i < 20; i++) await bus.Publish(Turn(tenant, session, $"resp_{i}", Start.AddSeconds(i * 10), 500 + i));
            await bus.Publish(Connection(tenant, session, "conn_1", Start, 200_000, turns: 20));
            await bus.Publish(ServerToolCall(tenant, session, "call_1", "ok", 120, Start.AddSeconds(30)));
            await bus.Publish(Ended(tenant, session, Start.AddSeconds(200), 200_000));
        }
        finally
        {
            await fixture.StartAsync();
        }

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session,
            q => q.TurnDetails.Count == 20 && q.Connections == 1 && q.ToolCalls.Count == 1 && q.EndedAtUnixMs != 0);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), quality.StartedAtUnixMs);
        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);
        Assert.Equal(20, group.Turns);
        Assert.Equal(1, group.Sessions);
        Assert.Equal(1, group.ToolCalls);
        await publisher.StopAsync();
    }

    private static async Task<IHost> StartPublisherAsync()
    {
        var services = await BackingServices.GetAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "insights-test-publisher" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = services.RabbitMqConnectionString });
        builder.AddMessageBus();
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}
