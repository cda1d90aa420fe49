using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace VoicePlatform.Bench.BackingLoadBenchmark;

/// <summary>The backing services' cumulative counters at one moment (Redis INFO, RabbitMQ global counters, pg_stat_database).</summary>
public sealed record BackingSnapshot(
    double At,
    long RedisCommands,
    long RedisUsedMemory,
    long RedisKeys,
    long RabbitReceived,
    long RabbitRouted,
    long RabbitDelivered,
    long RabbitAcknowledged,
    long PgCommits,
    long PgRollbacks,
    long PgInserted,
    long PgUpdated,
    long PgDeleted,
    long PgFetched,
    long PgWalBytes,
    IReadOnlyDictionary<string, long[]> PgByDatabase)
{
    /// <summary>Counters only (memory and keys are levels, not counters: see <see cref="Difference.RedisUsedMemory"/>).</summary>
    public Difference Minus(BackingSnapshot before) => new(
        At - before.At,
        RedisCommands - before.RedisCommands,
        RedisUsedMemory - before.RedisUsedMemory,
        RedisKeys - before.RedisKeys,
        RabbitReceived - before.RabbitReceived,
        RabbitRouted - before.RabbitRouted,
        RabbitDelivered - before.RabbitDelivered,
        RabbitAcknowledged - before.RabbitAcknowledged,
        PgCommits - before.PgCommits,
        PgRollbacks - before.PgRollbacks,
        PgInserted - before.PgInserted,
        PgUpdated - before.PgUpdated,
        PgDeleted - before.PgDeleted,
        PgFetched - before.PgFetched,
        PgWalBytes - before.PgWalBytes,
        PgByDatabase.ToDictionary(p => p.Key, p => p.Value.Select((v, i) => v - (before.PgByDatabase.TryGetValue(p.Key, out var b) ? b[i] : 0)).ToArray()));
}

/// <summary>Counter differences over <see cref="Seconds"/>; Redis memory and keys are level differences.</summary>
public sealed record Difference(
    double Seconds,
    long RedisCommands,
    long RedisUsedMemory,
    long RedisKeys,
    long RabbitReceived,
    long RabbitRouted,
    long RabbitDelivered,
    long RabbitAcknowledged,
    long PgCommits,
    long PgRollbacks,
    long PgInserted,
    long PgUpdated,
    long PgDeleted,
    long PgFetched,
    long PgWalBytes,
    IReadOnlyDictionary<string, long[]> PgByDatabase)
{
    public long PgRowsWritten => PgInserted + PgUpdated + PgDeleted;
}

/// <summary>Takes <see cref="BackingSnapshot"/>s of one platform's Redis, RabbitMQ and PostgreSQL (every database on the server).</summary>
public sealed class BackingProbe(ConnectionMultiplexer redis, RabbitMqCounters rabbitMq, string postgres) : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public static async Task<BackingProbe> ConnectAsync(PlatformEndpoints endpoints, string stateDirectory)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(endpoints.Redis + ",allowAdmin=true");
        return new BackingProbe(redis, RabbitMqCounters.Find(stateDirectory), endpoints.Postgres);
    }

    public async Task<BackingSnapshot> TakeAsync()
    {
        var at = _clock.Elapsed.TotalSeconds;
        var server = redis.GetServers().Single();
        var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        // The probe's own INFO call is one command; negligible next to the platform's.
        var keys = await server.DatabaseSizeAsync();
        var (received, routed, delivered, acknowledged) = await rabbitMq.ReadAsync();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted, tup_fetched
            FROM pg_stat_database WHERE datname IS NOT NULL AND datname NOT IN ('template0', 'template1')
            """, connection);
        // Per database: commits, rows written (inserted + updated + deleted), rows fetched.
        var byDatabase = new Dictionary<string, long[]>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) byDatabase[reader.GetString(0)] = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)];
        }
        await using var totals = new NpgsqlCommand("""
            SELECT sum(xact_commit)::bigint, sum(xact_rollback)::bigint, sum(tup_inserted)::bigint, sum(tup_updated)::bigint,
                   sum(tup_deleted)::bigint, sum(tup_fetched)::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
            FROM pg_stat_database WHERE datname IS NOT NULL AND datname NOT IN ('template0', 'template1')
            """, connection);
        await using var row = await totals.ExecuteReaderAsync();
        await row.ReadAsync();
        return new BackingSnapshot(at,
            Long(info["total_commands_processed"]), Long(info["used_memory"]), keys,
            received, routed, delivered, acknowledged,
            row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4), row.GetInt64(5), row.GetInt64(6), byDatabase);
    }

    private static long Long(string value) => long.Parse(value, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await redis.DisposeAsync();
}
