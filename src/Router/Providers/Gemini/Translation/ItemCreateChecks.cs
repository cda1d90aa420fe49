using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// What every conversation.item.create is checked for, whatever the item: only known top-level fields, a
/// <c>previous_item_id</c> that exists (or <c>root</c>), and an item id not already in the conversation. The error
/// texts are OpenAI's.
/// </summary>
internal static class ItemCreateChecks
{
    /// <summary>The event's own fields; <paramref name="previousId"/> is where the item goes (null: last).</summary>
    public static ClientError? Envelope(JsonElement root, LocalConversation conversation, out string? previousId)
    {
        previousId = null;
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "previous_item_id", "item") is { } unknown)
        {
            return unknown;
        }

        if (!root.TryGetProperty("previous_item_id", out var previousEl) || previousEl.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ClientJson.String(previousEl, "previous_item_id", out var value) is { } error)
        {
            return error;
        }

        if (value != "root" && !conversation.Contains(value))
        {
            return ClientError.InvalidValueMessage("previous_item_id", $"Error adding item: the previous item with id '{value}' does not exist.");
        }

        previousId = value;
        return null;
    }

    /// <summary>An item id the conversation already has is refused.</summary>
    public static ClientError? NewId(ConversationItem item, LocalConversation conversation) =>
        conversation.Contains(item.Id)
            ? ClientError.InvalidValueMessage("item.id", $"Error adding item: the item with id '{item.Id}' already exists.")
            : null;
}
