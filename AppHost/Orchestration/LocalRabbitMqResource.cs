using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// RabbitMQ from the machine's binaries, run by DCP as an executable, isolated from any system instance: its own node
/// name, AMQP and distribution ports, data directory, Erlang cookie and epmd (a resource of its own).
/// </summary>
public sealed class LocalRabbitMqResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public string NodeName => $"voiceplatform-{Port}@localhost";

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
