using Npgsql;
using VoicePlatform.TestSupport;

namespace VoicePlatform.AppHost.Tests;

/// <summary>The local servers every service test uses (TestSupport/LocalServers), against the real binaries.</summary>
public class BackingServiceResourceTests(BackingServicesFixture fixture) : IClassFixture<BackingServicesFixture>
{
    [Fact]
    public async Task Postgres_runs_unprivileged_with_password_auth_on_loopback()
    {
        var services = fixture.Services;
        var connectionString = await services.CreateDatabaseAsync("apphost");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user, inet_server_addr()::text, current_setting('listen_addresses')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("postgres", reader.GetString(0));
        Assert.StartsWith("127.0.0.1", reader.GetString(1));
        Assert.Equal("127.0.0.1", reader.GetString(2));

        var wrongPassword = new NpgsqlConnectionStringBuilder(connectionString) { Password = "wrong", Pooling = false };
        await using var rejected = new NpgsqlConnection(wrongPassword.ConnectionString);
        await Assert.ThrowsAsync<PostgresException>(() => rejected.OpenAsync());
    }

    [Fact]
    public async Task Redis_and_rabbitmq_answer_their_protocols()
    {
        var services = fixture.Services;
        Assert.True(await services.Redis.IsHealthyAsync(CancellationToken.None));
        Assert.True(await services.RabbitMq.IsHealthyAsync(CancellationToken.None));
        // Its own node name, never the system's default rabbit@host.
        Assert.StartsWith("voiceplatform-", services.RabbitMq.NodeName);
    }
}
