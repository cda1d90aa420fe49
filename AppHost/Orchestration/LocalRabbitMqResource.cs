using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// RabbitMQ from the machine's binaries, run by DCP as an executable, isolated from any system instance: its own node
/// name, AMQP and distribution ports, data directory, Erlang cookie and epmd (a resource of its own).
/// </summary>
public sealed class LocalRabbitMqResource(string name, string command, string workingDirectory, int port, int epmdPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public int EpmdPort { get; } = epmdPort;

    public string NodeName => $"voiceplatform-{Port}@localhost";

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");

    /// <summary>
    /// Stops the broker application inside the running node (<c>rabbitmqctl stop_app</c>): AMQP connections are dropped
    /// and new ones refused, while the node (and its resource) keeps running with its durable queues and persistent
    /// messages. Fault tests use it as a broker outage; <see cref="StartBrokerAsync"/> ends it.
    /// </summary>
    public Task StopBrokerAsync(CancellationToken cancellationToken) => RunControlAsync("stop_app", cancellationToken);

    public Task StartBrokerAsync(CancellationToken cancellationToken) => RunControlAsync("start_app", cancellationToken);

    private async Task RunControlAsync(string controlCommand, CancellationToken cancellationToken)
    {
        var control = BinaryLocator.Find("rabbitmqctl", "rabbitmq-server", "/usr/lib/rabbitmq/bin", "/usr/sbin");
        var start = new ProcessStartInfo(control, ["-n", NodeName, controlCommand])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = WorkingDirectory; // the node's Erlang cookie
        start.Environment["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(WorkingDirectory, "rabbitmq-env.conf");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{control} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {controlCommand} failed ({process.ExitCode}): {await output}{await error}");
    }
}
