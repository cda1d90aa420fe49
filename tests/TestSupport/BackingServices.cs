using Npgsql;
using VoicePlatform.AppHost.Resources;
using VoicePlatform.TestSupport.LocalServers;

namespace VoicePlatform.TestSupport;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ started once per test process (the machine's binaries, <see cref="LocalServer"/>) on free loopback
/// ports. The test host is killed right after its run without running exit handlers, so the servers are not stopped
/// here: they were started so that they die with this process (see <see cref="ProcessLauncher"/>), and
/// <see cref="TestDirectories"/> sweeps their directories on the next run. Each test class asks for its own database so tests stay independent.
/// </summary>
public sealed class BackingServices
{
    private static readonly Lazy<Task<BackingServices>> Instance = new(StartAsync);

    private int _databaseCounter;

    private BackingServices(PostgresServer postgres, RedisServer redis, RabbitMqServer rabbitMq)
    {
        Postgres = postgres;
        Redis = redis;
        RabbitMq = rabbitMq;
    }

    public static Task<BackingServices> GetAsync() => Instance.Value;

    public PostgresServer Postgres { get; }
    public RedisServer Redis { get; }
    public RabbitMqServer RabbitMq { get; }

    public string RedisConnectionString => Redis.ConnectionString;
    public string RabbitMqConnectionString => RabbitMq.ConnectionString;

    /// <summary>Connection string for a database name nobody else uses (created by the service under test, or by <see cref="CreateDatabaseAsync"/>).</summary>
    public string NewDatabaseConnectionString(string prefix) =>
        Postgres.ConnectionString($"{prefix}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..6]}");

    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = NewDatabaseConnectionString(prefix);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await Postgres.EnsureDatabasesAsync([database], CancellationToken.None);
        return connectionString;
    }

    private static async Task<BackingServices> StartAsync()
    {
        var directory = TestDirectories.Create("backing");
        var sink = new FileLogSink(Path.Combine(directory, "servers.log"));
        var postgres = new PostgresServer(directory, FreePorts.Next(), sink);
        var redis = new RedisServer(directory, FreePorts.Next(), sink);
        var rabbitMq = new RabbitMqServer(directory, FreePorts.Next(), sink);
        var services = new BackingServices(postgres, redis, rabbitMq);
        await Task.WhenAll(postgres.StartAsync(CancellationToken.None), redis.StartAsync(CancellationToken.None), rabbitMq.StartAsync(CancellationToken.None));
        return services;
    }

}
