using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VoicePlatform.ServiceDefaults.Integrations.Messaging;

public static class MessageBusExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:rabbitmq</c>, an amqp:// URI). Consumers registered in
    /// <paramref name="configure"/> get their own queues; failed deliveries are retried, then moved to _error queues.
    /// MassTransit registers its own readiness check for the bus. MassTransit's usage telemetry is off: it would post to
    /// the vendor's host from every service (the platform runs offline and sends nothing anywhere). With
    /// <c>Messaging:QuorumQueues</c> every consumer queue is a quorum queue (<see cref="MessageBusOptions"/>).
    /// </summary>
    public static IHostApplicationBuilder AddMessageBus(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null, string connectionName = "rabbitmq")
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is not configured (ConnectionStrings__{connectionName}).");
        var uri = new Uri(connectionString);
        var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var virtualHost = uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));

        var options = builder.Configuration.GetSection(MessageBusOptions.Section).Get<MessageBusOptions>() ?? new MessageBusOptions();

        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            if (options.QuorumQueues)
            {
                bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint) rabbitEndpoint.SetQuorumQueue();
                });
            }
            // Queue names say which service consumes: "billing-tenant-created", not just "tenant-created".
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(builder.Environment.ApplicationName.Replace("VoicePlatform.", "").ToLowerInvariant(), false));
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, host =>
                {
                    if (userInfo.Length == 2)
                    {
                        host.Username(userInfo[0]);
                        host.Password(userInfo[1]);
                    }
                });
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(20);
        });
        return builder;
    }
}
