using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VoicePlatform.AppHost.Orchestration.Health;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

public static class LocalRabbitMqBuilderExtensions
{
    /// <summary>
    /// <c>{name}-epmd</c> (Erlang's port mapper, on its own port) and the broker, healthy when it answers an AMQP
    /// header. Node name, ports, data, logs, config and Erlang cookie (HOME) are all its own, so it never meets a
    /// system RabbitMQ or another AppHost's.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMq(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var epmdBinary = BinaryLocator.Find("epmd", "erlang-base", "/usr/lib/erlang/bin", "/usr/bin");
        var serverBinary = BinaryLocator.Find("rabbitmq-server", "rabbitmq-server", "/usr/lib/rabbitmq/bin", "/usr/sbin");
        var directory = Path.Combine(stateDirectory, "rabbitmq");
        var port = FreePorts.Next();
        var epmdPort = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var distributionPort = FreePorts.Next();
        WriteConfiguration(directory, port);

        var epmd = builder.AddExecutable($"{name}-epmd", epmdBinary, directory, "-port", epmdPort, "-address", "127.0.0.1")
            .WithEnvironment("ERL_EPMD_PORT", epmdPort)
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithFixedEndpoint("epmd", "tcp", int.Parse(epmdPort, CultureInfo.InvariantCulture))
            .WithPromptHealthCheck($"{name}-epmd-listening", new TcpListeningHealthCheck(int.Parse(epmdPort, CultureInfo.InvariantCulture)));

        var broker = new LocalRabbitMqResource(name, serverBinary, directory, port, int.Parse(epmdPort, CultureInfo.InvariantCulture));
        var resource = builder.AddResource(broker)
            .WithEnvironment("ERL_EPMD_PORT", epmdPort)
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("HOME", directory) // the Erlang cookie lives here, not in root's home
            .WithEnvironment("RABBITMQ_NODENAME", broker.NodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(directory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(directory, "log"))
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(directory, "rabbitmq.conf"))
            .WithEnvironment("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(directory, "advanced.config"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(directory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_CONF_ENV_FILE", Path.Combine(directory, "rabbitmq-env.conf"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(directory, "rabbitmq.pid"))
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-start_epmd false")
            // Makes the start script exec the Erlang VM instead of proxying it: DCP's SIGTERM reaches the VM itself.
            .WithEnvironment("RUNNING_UNDER_SYSTEMD", "true")
            .WithFixedEndpoint("amqp", "amqp", port)
            .WithPromptHealthCheck($"{name}-amqp-header", new AmqpHeaderHealthCheck(port))
            .WaitFor(epmd)
            .WithIconName("Mailbox");
        epmd.WithParentRelationship(resource);
        return resource;
    }

    private static void WriteConfiguration(string directory, int port)
    {
        Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{port}
            log.console = true
            log.console.level = warning
            log.file = false
            """);
        // No plugins: no management UI port to collide with another instance.
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
    }
}
