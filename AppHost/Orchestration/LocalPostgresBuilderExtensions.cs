using System.Diagnostics;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoicePlatform.AppHost.Orchestration.Health;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>PostgreSQL from the machine's binaries as Aspire resources: a one-shot initdb, the server, one database per service.</summary>
public static class LocalPostgresBuilderExtensions
{
    private const string PostgresDirectories = "/usr/lib/postgresql/*/bin";

    /// <summary>
    /// Adds <c>{name}-init</c> (initdb, only when the data directory is new; the server waits for its completion) and
    /// the server itself on a free loopback port. As root both run as an unprivileged account through <c>setpriv</c>,
    /// since PostgreSQL refuses root. Databases added with <see cref="AddDatabase"/> are created once it is healthy.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var postgres = BinaryLocator.Find("postgres", "postgresql", PostgresDirectories);
        var initdb = BinaryLocator.Find("initdb", "postgresql", PostgresDirectories);
        var runAs = UnixUser.ForPostgres();
        var root = Path.Combine(stateDirectory, "postgres");
        var data = Path.Combine(root, "data");
        var password = PrepareDirectories(root, data, runAs);
        var port = FreePorts.Next();

        var init = builder.AddExecutable($"{name}-init", "sh", root,
            // $0 is PG_VERSION: an initialized cluster is left alone; "$@" is initdb (through setpriv when root).
            ["-c", "[ -f \"$0\" ] && exit 0; exec \"$@\"", Path.Combine(data, "PG_VERSION"),
             .. AsUser(runAs, initdb), "-D", data, "-U", LocalPostgresResource.Superuser, "--pwfile", Path.Combine(root, "password"),
             "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]);

        var command = AsUser(runAs, postgres);
        var server = new LocalPostgresResource(name, command[0], root, port, password);
        var resource = builder.AddResource(server)
            .WithArgs([.. command.Skip(1),
                "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
                // TCP only: no socket files in shared directories, so parallel instances never collide.
                "-c", "unix_socket_directories=", "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"])
            .WithFixedEndpoint("tcp", "tcp", port)
            .WithPromptHealthCheck($"{name}-select-1", new PostgresQueryHealthCheck(server.ConnectionString("postgres")))
            .WaitForCompletion(init)
            .WithIconName("Database");
        init.WithParentRelationship(resource);

        // Dependents WaitFor the server, and Aspire lets them start only once this handler has finished.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (ready, cancellationToken) =>
        {
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            await CreateDatabasesAsync(server, server.Databases.Select(d => d.DatabaseName), cancellationToken);
            foreach (var database in server.Databases)
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
        });
        return resource;
    }

    /// <summary>A database the server creates once healthy, referenced as connection string <paramref name="name"/>.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> server, string name, string databaseName)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.Waiting, Properties = [] })
            .WithParentRelationship(server)
            .WithIconName("DatabaseStack");
    }

    public static async Task CreateDatabasesAsync(LocalPostgresResource server, IEnumerable<string> databases, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        foreach (var database in databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
            exists.Parameters.AddWithValue("n", database);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null) continue;
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string[] AsUser(UnixUser? runAs, string binary) =>
        runAs is null ? [binary] : ["setpriv", $"--reuid={runAs.Uid}", $"--regid={runAs.Gid}", "--clear-groups", "--", binary];

    /// <summary>The password (generated with a fresh data directory); a cluster without its password file is started over.</summary>
    private static string PrepareDirectories(string root, string data, UnixUser? runAs)
    {
        Directory.CreateDirectory(root);
        // The unprivileged account must be able to reach its data directory.
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                   UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var passwordFile = Path.Combine(root, "password");
        if (File.Exists(Path.Combine(data, "PG_VERSION")) && File.Exists(passwordFile)) return File.ReadAllText(passwordFile).Trim();

        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        Directory.CreateDirectory(data);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(passwordFile, password);
        if (runAs is not null)
        {
            using var chown = Process.Start(new ProcessStartInfo("chown", [$"{runAs.Uid}:{runAs.Gid}", "-R", root]) { UseShellExecute = false })!;
            chown.WaitForExit();
            if (chown.ExitCode != 0) throw new InvalidOperationException($"chown of {root} failed with {chown.ExitCode}");
        }
        return password;
    }
}
