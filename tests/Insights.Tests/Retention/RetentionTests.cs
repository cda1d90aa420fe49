using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using VoicePlatform.Insights.Aggregation;
using VoicePlatform.Insights.Ingest;
using VoicePlatform.Insights.Retention;
using VoicePlatform.Insights.Sessions;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Retention;

/// <summary>
/// The retention job against its own database (migrated with the service's migrations; a sweep deletes across all
/// tenants, so it must not see other tests' rows), with facts written by the same ingest code the consumers use, on a
/// <see cref="FakeTimeProvider"/>.
/// </summary>
public class RetentionTests(BackingServicesFixture backing) : IClassFixture<BackingServicesFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_periodic_job_deletes_exactly_what_is_past_each_tenants_retention()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("insights_retention");
        await new SchemaMigrator(connectionString, typeof(TurnIngest).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var buckets = new BucketWriter();
        var sessions = new SessionRows(buckets);
        var turns = new TurnIngest(dataSource, sessions, buckets);
        var events = new SessionEventIngest(dataSource, sessions);

        var weekly = Guid.NewGuid();   // keeps 7 days
        var quarterly = Guid.NewGuid(); // keeps 90 days
        var unknown = Guid.NewGuid();  // its setting cannot be read: nothing of it is deleted
        var retention = new FixedRetention(new() { [weekly] = 7, [quarterly] = 90 });

        async Task SeedAsync(Guid tenant, string session, DateTimeOffset start)
        {
            Assert.True(await events.RecordStartedAsync(Started(tenant, session, start), CancellationToken.None));
            Assert.True(await turns.RecordAsync(Turn(tenant, session, "r1", start.AddMinutes(1), 500), CancellationToken.None));
            Assert.True(await events.RecordCostAsync(Priced(tenant, session, 0.01m, start.AddMinutes(2)), CancellationToken.None));
        }
        await SeedAsync(weekly, "w-old", Now.AddDays(-8));
        await SeedAsync(weekly, "w-new", Now.AddDays(-6));
        await SeedAsync(quarterly, "q-old", Now.AddDays(-91));
        await SeedAsync(quarterly, "q-new", Now.AddDays(-8));
        await SeedAsync(unknown, "u-old", Now.AddDays(-400));

        var clock = new FakeTimeProvider(Now);
        var options = Options.Create(new InsightsRetentionOptions { Interval = TimeSpan.FromHours(1), BatchSize = 1 }); // several rounds
        var job = new InsightsRetentionJob(dataSource, retention, options, clock, NullLogger<InsightsRetentionJob>.Instance);

        // The first pass runs at start-up.
        await job.StartAsync(CancellationToken.None);
        var remaining = await Poll.UntilAsync(() => ColumnAsync(dataSource, "SELECT session_id FROM sessions ORDER BY session_id"),
            ids => ids.Count == 3, TimeSpan.FromSeconds(10));
        Assert.Equal(["q-new", "u-old", "w-new"], remaining);
        Assert.Equal(["q-new", "u-old", "w-new"], await ColumnAsync(dataSource, "SELECT session_id FROM turns ORDER BY session_id"));
        Assert.Equal(["q-new", "u-old", "w-new"], await ColumnAsync(dataSource, "SELECT session_id FROM usage_costs ORDER BY session_id"));
        Assert.Equal(3, await CountAsync(dataSource, "SELECT count(*) FROM quality_buckets"));

        // Two days on, the next hourly tick (on the fake clock) finds w-new 8 days old: past its tenant's 7.
        clock.Advance(TimeSpan.FromDays(2));
        remaining = await Poll.UntilAsync(() => ColumnAsync(dataSource, "SELECT session_id FROM sessions ORDER BY session_id"),
            ids => ids.Count == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(["q-new", "u-old"], remaining);
        Assert.Equal(2, await CountAsync(dataSource, "SELECT count(*) FROM quality_buckets"));
        await job.StopAsync(CancellationToken.None);
    }

    private sealed class FixedRetention(Dictionary<Guid, int> days) : ITenantRetention
    {
        public Task<int?> GetDaysAsync(Guid tenantId, CancellationToken cancellationToken) =>
            Task.FromResult(days.TryGetValue(tenantId, out var d) ? d : (int?)null);
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource dataSource, string sql)
    {
        var values = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
