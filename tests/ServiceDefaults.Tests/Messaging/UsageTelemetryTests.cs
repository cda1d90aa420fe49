using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;

namespace VoicePlatform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// MassTransit posts usage telemetry to its vendor's host from every bus unless told not to (5 minutes after the bus
/// starts, so an end-to-end run rarely lasts long enough to see it). Every service configures MassTransit through
/// AddMessageBus, so its configuration is where the switch must be.
/// </summary>
public class UsageTelemetryTests
{
    [Fact]
    public void The_message_bus_never_reports_usage_telemetry()
    {
        Assert.Null(Environment.GetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY")); // it would override the configuration
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "VoicePlatform.ServiceDefaults.Tests" });
        // Nothing connects: the bus is configured, not started.
        builder.Configuration["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/";
        builder.AddMessageBus();
        using var host = builder.Build();

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
        // The tracker is what would start the report task after the bus starts.
        var tracker = Assert.IsType<UsageTracker>(host.Services.GetRequiredService<IUsageTracker>());
        Assert.False(tracker.Enabled);
    }
}
