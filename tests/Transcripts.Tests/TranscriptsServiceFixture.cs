using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Tests;

/// <summary>
/// The Transcripts service in-process (its real Program.cs via <see cref="WebApplicationFactory{TEntryPoint}"/>; any public
/// type of the service assembly locates the entry point) on its own fresh database.
/// </summary>
public sealed class TranscriptsServiceFixture : IAsyncLifetime
{
    private WebApplicationFactory<SessionStore>? _factory;
    private GrpcChannel? _channel;

    public string DatabaseConnectionString { get; private set; } = "";

    public TranscriptStore.TranscriptStoreClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var services = await BackingServices.GetAsync();
        DatabaseConnectionString = services.NewDatabaseConnectionString("transcripts");
        _factory = new WebApplicationFactory<SessionStore>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:postgres-transcripts", DatabaseConnectionString)
            .UseSetting("ConnectionStrings:redis", services.RedisConnectionString)
            .UseSetting("ConnectionStrings:rabbitmq", services.RabbitMqConnectionString));
        // Starting the server runs the schema migration (the service creates its database).
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        Client = new TranscriptStore.TranscriptStoreClient(_channel);
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
        _channel?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }
}
