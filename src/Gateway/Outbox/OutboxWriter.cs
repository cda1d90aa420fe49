using System.Text.Json;
using Npgsql;

namespace VoicePlatform.Gateway.Outbox;

/// <summary>Adds an event to the outbox inside the caller's transaction.</summary>
public static class OutboxWriter
{
    public static Task AddAsync<TEvent>(NpgsqlConnection connection, NpgsqlTransaction transaction, TEvent message, CancellationToken cancellationToken)
        where TEvent : class => AddAsync(connection, transaction, message, typeof(TEvent), cancellationToken);

    /// <summary>An event whose type is known only at run time (<paramref name="type"/> must be its concrete type).</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, object message, Type type, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO outbox (id, message_type, payload) VALUES (@id, @type, @payload::jsonb)", connection, transaction);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("type", type.FullName!);
        command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(message, type));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
