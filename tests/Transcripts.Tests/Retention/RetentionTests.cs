using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Retention;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Tests.Retention;

/// <summary>
/// The retention job against its own database (migrated with the service's migrations), run directly with a fixed
/// clock: a sweep deletes across all tenants, so it must not see other tests' rows.
/// </summary>
public class RetentionTests(BackingServicesFixture backing) : IClassFixture<BackingServicesFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deletes_exactly_the_sessions_and_segments_past_each_tenants_retention()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("transcripts_retention");
        await new SchemaMigrator(connectionString, typeof(SessionStore).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var defaulted = Guid.NewGuid(); // 90 days (the configured default)
        var shortLived = Guid.NewGuid(); // 7 days
        var options = Options.Create(new RetentionOptions { DefaultDays = 90, BatchSize = 2 }); // small batches: several rounds
        await new RetentionStore(dataSource, options).SetAsync(shortLived, 7, CancellationToken.None);

        await SeedAsync(dataSource, defaulted, "d-old", Now.AddDays(-91), segments: 3);
        await SeedAsync(dataSource, defaulted, "d-edge", Now.AddDays(-89), segments: 2);
        await SeedAsync(dataSource, defaulted, "d-new", Now.AddDays(-1), segments: 1);
        await SeedAsync(dataSource, shortLived, "s-old", Now.AddDays(-8), segments: 2);
        await SeedAsync(dataSource, shortLived, "s-new", Now.AddDays(-6), segments: 2);
        // A segment whose session never arrived is dated by its own recording time.
        await SeedSegmentAsync(dataSource, shortLived, "s-orphan-old", Now.AddDays(-10));
        await SeedSegmentAsync(dataSource, shortLived, "s-orphan-new", Now.AddDays(-2));

        var job = new RetentionJob(dataSource, options, new FixedClock(Now), NullLogger<RetentionJob>.Instance);
        var swept = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionSweep(Sessions: 2, Segments: 3 + 2 + 1), swept);
        Assert.Equal(["d-edge", "d-new", "s-new"], await ColumnAsync(dataSource, "SELECT session_id FROM sessions ORDER BY session_id"));
        Assert.Equal(["d-edge", "d-edge", "d-new", "s-new", "s-new", "s-orphan-new"],
            await ColumnAsync(dataSource, "SELECT session_id FROM segments ORDER BY session_id"));

        // Nothing more to do at the same time; a day and a half later d-edge (90 days) and s-new (7 days) cross their lines.
        Assert.Equal(new RetentionSweep(0, 0), await job.RunOnceAsync(CancellationToken.None));
        var dayLater = new RetentionJob(dataSource, options, new FixedClock(Now.AddDays(1.5)), NullLogger<RetentionJob>.Instance);
        Assert.Equal(new RetentionSweep(2, 4), await dayLater.RunOnceAsync(CancellationToken.None));
        Assert.Equal(["d-new"], await ColumnAsync(dataSource, "SELECT session_id FROM sessions"));
    }

    private static async Task SeedAsync(NpgsqlDataSource dataSource, Guid tenant, string session, DateTimeOffset startedAt, int segments)
    {
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO sessions (session_id, tenant_id, model, provider, started_at) VALUES (@s, @t, 'gpt-realtime-2', 'openai', @at)"))
        {
            insert.Parameters.AddWithValue("s", session);
            insert.Parameters.AddWithValue("t", tenant);
            insert.Parameters.AddWithValue("at", startedAt);
            await insert.ExecuteNonQueryAsync();
        }
        // Segments are recorded during the session, i.e. after its start: the session's start decides, not theirs.
        for (var i = 0; i < segments; i++) await SeedSegmentAsync(dataSource, tenant, session, startedAt.AddDays(30));
    }

    private static async Task SeedSegmentAsync(NpgsqlDataSource dataSource, Guid tenant, string session, DateTimeOffset recordedAt)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO segments (segment_id, tenant_id, session_id, item_id, role, text, start_ms, end_ms, model, truncated, recorded_at)
            VALUES (gen_random_uuid(), @t, @s, 'item', 'user', 'hello', 0, 100, 'gpt-realtime-2', false, @at)
            """);
        insert.Parameters.AddWithValue("t", tenant);
        insert.Parameters.AddWithValue("s", session);
        insert.Parameters.AddWithValue("at", recordedAt);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource dataSource, string sql)
    {
        var values = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
