using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.TestSupport;

namespace VoicePlatform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// Production runs RabbitMQ as a cluster with quorum queues (replicated, so a node failure loses no event):
/// <c>Messaging:QuorumQueues</c> declares every consumer queue so; without it they stay classic.
/// </summary>
public class QuorumQueueTests
{
    [Theory]
    [InlineData(true, "quorum")]
    [InlineData(false, "classic")]
    public async Task Consumer_queues_are_declared_with_the_configured_type(bool quorum, string expected)
    {
        var backing = await BackingServices.GetAsync();
        var service = $"Probe{Guid.NewGuid():N}"[..13];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = $"VoicePlatform.{service}" });
        builder.Configuration["ConnectionStrings:rabbitmq"] = backing.RabbitMqConnectionString;
        builder.Configuration["Messaging:QuorumQueues"] = quorum ? "true" : "false";
        builder.AddMessageBus(bus => bus.AddConsumer<ProbeConsumer>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var queue = $"{service.ToLowerInvariant()}-probe";
            var types = await Poll.UntilAsync(() => backing.RabbitMq.QueueTypesAsync(CancellationToken.None),
                t => t.ContainsKey(queue), TimeSpan.FromSeconds(30));
            Assert.True(types.TryGetValue(queue, out var type), $"no queue {queue} among {string.Join(", ", types.Keys)}");
            Assert.Equal(expected, type);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public sealed record ProbeMessage(Guid Id);

    public sealed class ProbeConsumer : IConsumer<ProbeMessage>
    {
        public Task Consume(ConsumeContext<ProbeMessage> context) => Task.CompletedTask;
    }
}
