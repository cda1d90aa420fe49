using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>
/// PostgreSQL from the machine's binaries with its own data directory (initdb on first run), listening on loopback TCP
/// only, with a generated password. As root it runs as an unprivileged account, since PostgreSQL refuses root.
/// </summary>
public sealed class PostgresServer : LocalServer
{
    private const string Superuser = "postgres";
    private readonly string _root;
    private readonly UnixUser? _runAs = UnixUser.ForPostgres();
    private readonly string _password;

    public PostgresServer(string stateDirectory, int port, ILogSink sink) : base("postgres", sink)
    {
        _root = Path.Combine(stateDirectory, "postgres");
        Port = port;
        // Known before start-up, so connection strings can be handed out while the resource model is built.
        _password = File.Exists(PasswordFile) ? File.ReadAllText(PasswordFile).Trim() : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    private string PasswordFile => Path.Combine(_root, "password");

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Password = _password, Database = database }.ConnectionString;

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var initdb = BinaryLocator.Find("initdb", "postgresql", "/usr/lib/postgresql/*/bin");
        Directory.CreateDirectory(_root);
        // The unprivileged account must be able to reach its data directory.
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var passwordFile = PasswordFile;
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")) && File.Exists(passwordFile)) return;

        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(passwordFile, _password, cancellationToken);
        if (_runAs is not null) await RunAsync("chown", [$"{_runAs.Uid}:{_runAs.Gid}", "-R", _root], cancellationToken);

        Sink.Line(Name, $"initializing a new cluster in {DataDirectory}");
        var spec = new ProcessSpec("initdb", initdb,
            ["-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"])
        { RunAsUser = _runAs };
        await using var process = new ManagedProcess(spec, Sink);
        var exited = new TaskCompletionSource<int>();
        process.UnexpectedExit += (_, code) => exited.TrySetResult(code);
        process.Start();
        var exitCode = await exited.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"initdb failed with exit code {exitCode}");
    }

    protected override IEnumerable<ProcessSpec> ProcessSpecs()
    {
        var postgres = BinaryLocator.Find("postgres", "postgresql", "/usr/lib/postgresql/*/bin");
        yield return new ProcessSpec(Name, postgres,
        [
            "-D", DataDirectory, "-p", Port.ToString(), "-c", "listen_addresses=127.0.0.1",
            // TCP only: no socket files in shared directories, so parallel instances never collide.
            "-c", "unix_socket_directories=", "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off",
        ])
        {
            RunAsUser = _runAs,
            StopSignal = PosixSignals.SIGINT, // "fast" shutdown: ends sessions, shuts down cleanly
        };
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }

    /// <summary>Creates the databases the services own (they would also create them themselves; this keeps start-up quiet).</summary>
    public async Task EnsureDatabasesAsync(IEnumerable<string> databases, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
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

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {process.ExitCode}");
    }
}
