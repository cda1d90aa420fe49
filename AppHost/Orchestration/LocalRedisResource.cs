using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>Redis from the machine's binary, run by DCP as an executable; loopback only, no persistence.</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public string ConnectionString => $"127.0.0.1:{Port}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}
