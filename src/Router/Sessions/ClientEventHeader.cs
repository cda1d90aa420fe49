using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// What the relay needs to know of a client control event to replay it safely: its type, the client's
/// <c>event_id</c> and, for <c>conversation.item.create</c>, the item's id. Unreadable JSON gives an empty header (the
/// provider session answers it with its own error).
/// </summary>
public readonly record struct ClientEventHeader(string? Type, string? EventId, string? ItemId)
{
    public static ClientEventHeader Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            string? type = null, eventId = null, itemId = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("type"u8) ? 1 : reader.ValueTextEquals("event_id"u8) ? 2 : reader.ValueTextEquals("item"u8) ? 3 : 0;
                reader.Read();
                switch (name)
                {
                    case 1 when reader.TokenType == JsonTokenType.String:
                        type = reader.GetString();
                        break;
                    case 2 when reader.TokenType == JsonTokenType.String:
                        eventId = reader.GetString();
                        break;
                    case 3 when reader.TokenType == JsonTokenType.StartObject:
                        itemId = ReadItemId(ref reader);
                        break;
                    default:
                        reader.TrySkip();
                        break;
                }
            }
            return new ClientEventHeader(type, eventId, itemId);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? ReadItemId(ref Utf8JsonReader reader)
    {
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String) id = reader.GetString();
            else reader.TrySkip();
        }
        return id;
    }
}
