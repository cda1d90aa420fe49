using Aspire.Hosting.ApplicationModel;
using Npgsql;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// PostgreSQL from the machine's binaries, run by DCP as an executable (no container runtime needed), listening on
/// loopback TCP only with a generated password kept next to its data directory.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, int port, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string Superuser = "postgres";

    public int Port { get; } = port;

    /// <summary>The services' databases, created once the server is healthy.</summary>
    public List<LocalPostgresDatabaseResource> Databases { get; } = [];

    /// <summary>Connection string of the maintenance database <c>postgres</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString("postgres")}");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Password = password, Database = database }.ConnectionString;
}
