using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Tests;

/// <summary>
/// The Transcripts service in-process on its own fresh database, consuming from the test run's RabbitMQ. One instance
/// for the whole assembly (<see cref="TranscriptsCollection"/>): two instances would compete for the same queues.
/// The periodic retention job is off (seeded sessions are dated in the past); retention tests run it directly.
/// </summary>
public sealed class TranscriptsServiceFixture : IAsyncLifetime
{
    private InProcessService<SessionStore>? _service;

    public string DatabaseConnectionString => (_service ?? throw new InvalidOperationException("Fixture not initialised")).DatabaseConnectionString!;

    public TranscriptStore.TranscriptStoreClient Client { get; private set; } = null!;

    /// <summary>The service's own bus: what the tests publish travels through RabbitMQ to its consumers like the Router's events will.</summary>
    public IBus Bus => (_service ?? throw new InvalidOperationException("Fixture not initialised")).Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        _service = await InProcessService<SessionStore>.StartAsync("transcripts",
            configure: web => web.UseSetting("Retention:Enabled", "false"));
        Client = new TranscriptStore.TranscriptStoreClient(_service.Channel);
        await _service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Writes session rows directly (for query tests that need many sessions with set times).</summary>
    public async Task SeedAsync(Guid tenantId, IEnumerable<(string SessionId, DateTimeOffset StartedAt)> sessions) =>
        await SeedAsync(tenantId, sessions.Select(s => new SeededSession(s.SessionId, s.StartedAt)));

    public async Task SeedAsync(Guid tenantId, IEnumerable<SeededSession> sessions)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        foreach (var session in sessions)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO sessions (session_id, tenant_id, model, provider, started_at, ended_at, end_reason, route, experiment_id, experiment_arm, duration_ms)
                VALUES (@id, @tenant, @model, @provider, @started, @ended, @reason, @route, @experiment, @arm, 180000)
                """, connection);
            insert.Parameters.AddWithValue("id", session.SessionId);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("model", session.Model);
            insert.Parameters.AddWithValue("provider", session.Provider);
            insert.Parameters.AddWithValue("started", session.StartedAt);
            insert.Parameters.AddWithValue("ended", session.StartedAt.AddMinutes(3));
            insert.Parameters.AddWithValue("reason", session.EndReason);
            insert.Parameters.Add(new NpgsqlParameter<string?>("route", session.Route));
            insert.Parameters.Add(new NpgsqlParameter<string?>("experiment", session.ExperimentId));
            insert.Parameters.Add(new NpgsqlParameter<string?>("arm", session.ExperimentArm));
            await insert.ExecuteNonQueryAsync();
        }
    }

    public async Task<long> CountAsync(string sql, Action<NpgsqlParameterCollection> parameters)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        parameters(command.Parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }
}
