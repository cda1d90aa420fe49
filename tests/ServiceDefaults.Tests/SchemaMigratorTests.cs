using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;

namespace VoicePlatform.ServiceDefaults.Tests;

public class SchemaMigratorTests(BackingServicesFixture fixture) : IClassFixture<BackingServicesFixture>
{
    private static readonly string[] EmbeddedVersions = ["0001_widgets", "0002_widget_colour"];

    private static Task MigrateAsync(string connectionString, System.Reflection.Assembly? assembly = null) =>
        new SchemaMigrator(connectionString, assembly ?? typeof(SchemaMigratorTests).Assembly)
            .MigrateAsync(NullLogger.Instance, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

    private static async Task<List<string>> QueryStringsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static Task<List<string>> AppliedVersionsAsync(string connectionString) =>
        QueryStringsAsync(connectionString, "SELECT version FROM schema_migrations ORDER BY version");

    private static Task<List<string>> MigrationLogAsync(string connectionString) =>
        QueryStringsAsync(connectionString, "SELECT version FROM migration_log ORDER BY applied_at, version");

    private async Task<bool> DatabaseExistsAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var found = await QueryStringsAsync(fixture.Services.Postgres.ConnectionString("postgres"),
            $"SELECT datname::text FROM pg_database WHERE datname = '{name.Replace("'", "''")}'");
        return found.Count == 1;
    }

    [Fact]
    public async Task Creates_the_missing_database_and_applies_the_embedded_migrations_in_order()
    {
        var connectionString = fixture.Services.NewDatabaseConnectionString("migrator");
        Assert.False(await DatabaseExistsAsync(connectionString));

        await MigrateAsync(connectionString);

        Assert.True(await DatabaseExistsAsync(connectionString));
        Assert.Equal(EmbeddedVersions, await AppliedVersionsAsync(connectionString));
        Assert.Equal(EmbeddedVersions, await MigrationLogAsync(connectionString));
        // 0002 ran against 0001's schema.
        Assert.Equal(["seed:blue"], await QueryStringsAsync(connectionString, "SELECT name || ':' || colour FROM widgets"));
    }

    [Fact]
    public async Task Running_again_applies_nothing_twice()
    {
        var connectionString = fixture.Services.NewDatabaseConnectionString("migrator");

        await MigrateAsync(connectionString);
        await MigrateAsync(connectionString);

        Assert.Equal(EmbeddedVersions, await AppliedVersionsAsync(connectionString));
        Assert.Equal(EmbeddedVersions, await MigrationLogAsync(connectionString));
    }

    [Fact]
    public async Task Four_replicas_starting_at_once_all_succeed_and_apply_each_migration_once()
    {
        var connectionString = fixture.Services.NewDatabaseConnectionString("migrator");

        // Each replica has its own migrator, as separate processes would, and all race to create the database too.
        using var start = new ManualResetEventSlim();
        var replicas = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            await MigrateAsync(connectionString);
        })).ToArray();
        start.Set();
        await Task.WhenAll(replicas);

        Assert.All(replicas, r => Assert.True(r.IsCompletedSuccessfully));
        Assert.Equal(EmbeddedVersions, await AppliedVersionsAsync(connectionString));
        Assert.Equal(EmbeddedVersions, await MigrationLogAsync(connectionString));
    }

    [Fact]
    public async Task An_upgrade_applies_only_the_new_migrations()
    {
        var connectionString = fixture.Services.NewDatabaseConnectionString("migrator");
        var v1 = new Dictionary<string, string>
        {
            ["0001_first.sql"] = "CREATE TABLE log (version text NOT NULL); INSERT INTO log VALUES ('0001_first');",
            ["0002_second.sql"] = "INSERT INTO log VALUES ('0002_second');",
        };
        await MigrateAsync(connectionString, new InMemoryMigrationsAssembly(v1));

        // Name order is ordinal: 0010 sorts after 0002, and a later release adds it.
        var v2 = new Dictionary<string, string>(v1) { ["0010_tenth.sql"] = "INSERT INTO log VALUES ('0010_tenth');" };
        await MigrateAsync(connectionString, new InMemoryMigrationsAssembly(v2));

        Assert.Equal(["0001_first", "0002_second", "0010_tenth"], await AppliedVersionsAsync(connectionString));
        Assert.Equal(["0001_first", "0002_second", "0010_tenth"], await QueryStringsAsync(connectionString, "SELECT version FROM log ORDER BY version"));
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_unrecorded_and_does_not_keep_the_lock()
    {
        var connectionString = fixture.Services.NewDatabaseConnectionString("migrator");
        var broken = new Dictionary<string, string>
        {
            ["0001_ok.sql"] = "CREATE TABLE log (version text NOT NULL); INSERT INTO log VALUES ('0001_ok');",
            ["0002_broken.sql"] = "CREATE TABLE half_done (id int); INSERT INTO log VALUES ('0002_broken'); SELECT no_such_function();",
        };

        await Assert.ThrowsAsync<PostgresException>(() => MigrateAsync(connectionString, new InMemoryMigrationsAssembly(broken)));

        Assert.Equal(["0001_ok"], await AppliedVersionsAsync(connectionString));
        Assert.Equal(["0001_ok"], await QueryStringsAsync(connectionString, "SELECT version FROM log ORDER BY version"));
        Assert.Empty(await QueryStringsAsync(connectionString, "SELECT tablename::text FROM pg_tables WHERE tablename = 'half_done'"));

        // The fixed release migrates at once: the advisory lock was released despite the failure.
        var fixedRelease = new Dictionary<string, string>(broken) { ["0002_broken.sql"] = "INSERT INTO log VALUES ('0002_fixed');" };
        var migrate = MigrateAsync(connectionString, new InMemoryMigrationsAssembly(fixedRelease));
        Assert.Same(migrate, await Task.WhenAny(migrate, Task.Delay(TimeSpan.FromSeconds(10))));
        await migrate;
        Assert.Equal(["0001_ok", "0002_broken"], await AppliedVersionsAsync(connectionString));
        Assert.Equal(["0001_ok", "0002_fixed"], await QueryStringsAsync(connectionString, "SELECT version FROM log ORDER BY version"));
    }
}
