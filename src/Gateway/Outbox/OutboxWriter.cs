using System.Text.Json;
using Npgsql;

namespace VoicePlatform.Gateway.Outbox;

/// <summary>Adds an event to the outbox inside the caller's transaction.</summary>
public static class OutboxWriter
{
    public static async Task AddAsync<TEvent>(NpgsqlConnection connection, NpgsqlTransaction transaction, TEvent message, CancellationToken cancellationToken)
        where TEvent : class
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO outbox (id, message_type, payload) VALUES (@id, @type, @payload::jsonb)", connection, transaction);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("type", typeof(TEvent).FullName!);
        command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(message));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
