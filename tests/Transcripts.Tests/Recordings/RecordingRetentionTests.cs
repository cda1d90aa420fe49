using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.Recordings;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Retention;
using VoicePlatform.Transcripts.Sessions;
using VoicePlatform.Transcripts.Tests.Retention;

namespace VoicePlatform.Transcripts.Tests.Recordings;

/// <summary>Retention deletes recordings (rows and files) past each tenant's retention, and nothing else.</summary>
public class RecordingRetentionTests(BackingServicesFixture backing) : IClassFixture<BackingServicesFixture>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"vp-retention-{Guid.NewGuid():N}");

    [Fact]
    public async Task Deletes_exactly_the_recordings_and_files_past_each_tenants_retention()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("transcripts_recording_retention");
        await new SchemaMigrator(connectionString, typeof(SessionStore).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new LocalDirectoryRecordingStore(_directory);

        var defaulted = Guid.NewGuid(); // 90 days
        var shortLived = Guid.NewGuid(); // 7 days
        var options = Options.Create(new RetentionOptions { DefaultDays = 90, BatchSize = 2 });
        await new RetentionStore(dataSource, options).SetAsync(shortLived, 7, CancellationToken.None);

        var old = await SeedAsync(dataSource, store, defaulted, "d-old", Now.AddDays(-91));
        var kept = await SeedAsync(dataSource, store, defaulted, "d-new", Now.AddDays(-89));
        var shortOld = await SeedAsync(dataSource, store, shortLived, "s-old", Now.AddDays(-8));
        var shortNew = await SeedAsync(dataSource, store, shortLived, "s-new", Now.AddDays(-6));
        var resumedOld = await SeedRecordingAsync(dataSource, store, shortLived, "s-old", "resumed-1/", Now.AddDays(-8));
        // A recording whose session never arrived is dated by when it was stored.
        var orphanOld = await SeedRecordingAsync(dataSource, store, shortLived, "s-orphan-old", "", Now.AddDays(-10));
        var orphanNew = await SeedRecordingAsync(dataSource, store, shortLived, "s-orphan-new", "", Now.AddDays(-2));
        // An unrelated object in the store (another session's unfinished parts) is never touched.
        await store.PutAsync($"recordings/{defaulted}/d-live/part-00001.pcm", new MemoryStream(new byte[16]));

        var job = new RetentionJob(dataSource, options, new FixedClock(Now), NullLogger<RetentionJob>.Instance, store);
        var swept = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionSweep(Sessions: 2, Segments: 0, Recordings: 4), swept);
        foreach (var gone in new[] { old, shortOld, resumedOld, orphanOld })
        {
            Assert.Null(await store.GetSizeAsync(gone));
            Assert.Null(await store.GetSizeAsync(gone.Replace("recording.wav", "manifest.json")));
        }
        foreach (var present in new[] { kept, shortNew, orphanNew })
        {
            Assert.NotNull(await store.GetSizeAsync(present));
            Assert.NotNull(await store.GetSizeAsync(present.Replace("recording.wav", "manifest.json")));
        }
        Assert.NotNull(await store.GetSizeAsync($"recordings/{defaulted}/d-live/part-00001.pcm"));
        Assert.Equal(new[] { kept, shortNew, orphanNew }.Order(StringComparer.Ordinal),
            await ColumnAsync(dataSource, "SELECT key FROM recordings ORDER BY key COLLATE \"C\""));

        Assert.Equal(new RetentionSweep(0, 0, 0), await job.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_recording_store_recording_rows_are_kept_so_no_file_is_orphaned()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("transcripts_recording_retention_nostore");
        await new SchemaMigrator(connectionString, typeof(SessionStore).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new LocalDirectoryRecordingStore(_directory);
        var tenant = Guid.NewGuid();
        var key = await SeedRecordingAsync(dataSource, store, tenant, "x-old", "", Now.AddDays(-200));

        var job = new RetentionJob(dataSource, Options.Create(new RetentionOptions()), new FixedClock(Now), NullLogger<RetentionJob>.Instance);
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Recordings);
        Assert.Equal([key], await ColumnAsync(dataSource, "SELECT key FROM recordings"));
        Assert.NotNull(await store.GetSizeAsync(key));
    }

    private static async Task<string> SeedAsync(NpgsqlDataSource dataSource, IRecordingStore store, Guid tenant, string session, DateTimeOffset startedAt)
    {
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO sessions (session_id, tenant_id, model, provider, started_at) VALUES (@s, @t, 'gpt-realtime-2', 'openai', @at)"))
        {
            insert.Parameters.AddWithValue("s", session);
            insert.Parameters.AddWithValue("t", tenant);
            insert.Parameters.AddWithValue("at", startedAt);
            await insert.ExecuteNonQueryAsync();
        }
        // Stored at the session's end, later than its start: the session's start decides.
        return await SeedRecordingAsync(dataSource, store, tenant, session, "", startedAt.AddDays(30));
    }

    private static async Task<string> SeedRecordingAsync(NpgsqlDataSource dataSource, IRecordingStore store, Guid tenant, string session,
        string segment, DateTimeOffset storedAt)
    {
        var prefix = $"recordings/{tenant}/{session}/{segment}";
        await using (var recorder = new StereoCallRecorder(store, prefix))
        {
            var result = await recorder.CompleteAsync(TimeSpan.FromMilliseconds(300));
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO recordings (key, event_id, tenant_id, session_id, size_bytes, duration_ms, sha256, sample_rate, channels, stored_at, started_at)
                VALUES (@key, gen_random_uuid(), @t, @s, @size, 300, @sha, 24000, 2, @at, @at - interval '300 milliseconds')
                """);
            insert.Parameters.AddWithValue("key", result.Key);
            insert.Parameters.AddWithValue("t", tenant);
            insert.Parameters.AddWithValue("s", session);
            insert.Parameters.AddWithValue("size", result.SizeBytes);
            insert.Parameters.AddWithValue("sha", result.Sha256);
            insert.Parameters.AddWithValue("at", storedAt);
            await insert.ExecuteNonQueryAsync();
            return result.Key;
        }
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource dataSource, string sql)
    {
        var values = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
