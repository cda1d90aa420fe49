using Npgsql;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Tests;

/// <summary>The Transcripts service in-process on its own fresh database.</summary>
public sealed class TranscriptsServiceFixture : IAsyncLifetime
{
    private InProcessService<SessionStore>? _service;

    public string DatabaseConnectionString => (_service ?? throw new InvalidOperationException("Fixture not initialised")).DatabaseConnectionString!;

    public TranscriptStore.TranscriptStoreClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _service = await InProcessService<SessionStore>.StartAsync("transcripts");
        Client = new TranscriptStore.TranscriptStoreClient(_service.Channel);
    }

    /// <summary>Writes session rows directly (stands in for the event consumers that will record them).</summary>
    public async Task SeedAsync(Guid tenantId, IEnumerable<(string SessionId, DateTimeOffset StartedAt)> sessions)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        foreach (var (sessionId, startedAt) in sessions)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO sessions (session_id, tenant_id, model, provider, started_at, ended_at, end_reason)
                VALUES (@id, @tenant, 'gpt-realtime', 'openai', @started, @ended, 'client_closed')
                """, connection);
            insert.Parameters.AddWithValue("id", sessionId);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("started", startedAt);
            insert.Parameters.AddWithValue("ended", startedAt.AddMinutes(3));
            await insert.ExecuteNonQueryAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }
}
