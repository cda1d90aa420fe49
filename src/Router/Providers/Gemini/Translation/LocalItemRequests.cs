using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// conversation.item.retrieve, .delete and .truncate, answered from the local conversation: Gemini's context is
/// append-only, so a delete or a truncate changes only what the client and the checkpoint see. Callers hold the
/// session's gate.
/// </summary>
internal sealed class LocalItemRequests(LocalConversation conversation, ClientEventStream events)
{
    public async ValueTask<ClientError?> RetrieveAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }

        if (!conversation.TryGet(itemId, out var item))
        {
            return new ClientError("item_retrieve_invalid_item_id", $"Error retrieving item: the item with id '{itemId}' does not exist.", "item_id");
        }

        var w = events.StartEvent("conversation.item.retrieved"u8);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await events.EmitAsync();
        return null;
    }

    public async ValueTask<ClientError?> DeleteAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }

        if (!conversation.Remove(itemId))
        {
            return new ClientError("item_delete_invalid_item_id", $"Error deleting item: the item with id '{itemId}' does not exist.", "item_id");
        }

        // Gemini's context is append-only: the item leaves the local conversation only.
        var w = events.StartEvent("conversation.item.deleted"u8);
        w.WriteString("item_id"u8, itemId);
        await events.EmitAsync();
        return null;
    }

    public async ValueTask<ClientError?> TruncateAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id", "content_index", "audio_end_ms") is { } error)
        {
            return error;
        }

        if (!root.TryGetProperty("content_index", out var indexEl))
        {
            return ClientError.Missing("content_index");
        }

        if (ClientJson.Int(indexEl, "content_index", 0, int.MaxValue, out var contentIndex) is { } ie)
        {
            return ie;
        }

        if (!root.TryGetProperty("audio_end_ms", out var endEl))
        {
            return ClientError.Missing("audio_end_ms");
        }

        if (ClientJson.Int(endEl, "audio_end_ms", 0, int.MaxValue, out var audioEndMs) is { } ee)
        {
            return ee;
        }

        if (!conversation.TryGet(itemId, out var item))
        {
            return new ClientError("item_truncate_invalid_item_id", $"Error truncating item: the item with id '{itemId}' does not exist.", "item_id");
        }

        var part = item.IsAssistantMessage && contentIndex < item.Content.Count ? item.Content[contentIndex] : null;
        if (part is not { Type: "output_audio" })
        {
            return new ClientError("unsupported_content_type", "Only model output audio messages can be truncated", null);
        }

        if (double.IsNaN(part.AudioMs))
        {
            // Restored from a checkpoint (no audio kept): the length is unknown, so the client's cut is taken as is.
            part.AudioMs = audioEndMs;
            await TruncatedAsync(itemId, contentIndex, audioEndMs);
            return null;
        }

        var durationMs = (int)Math.Floor(part.AudioMs);
        if (audioEndMs > durationMs)
        {
            return ClientError.InvalidValueMessage("audio_end_ms", $"Audio content of {durationMs}ms is already shorter than {audioEndMs}ms");
        }

        // The transcript is cut in proportion to the audio heard, back to a word boundary. Gemini already keeps only
        // what it sent; it cannot be trimmed further upstream.
        part.Transcript = HeardTranscript.Prefix(part.Transcript ?? string.Empty, durationMs == 0 ? 0 : audioEndMs / (double)durationMs);
        part.AudioMs = audioEndMs;
        await TruncatedAsync(itemId, contentIndex, audioEndMs);
        return null;
    }

    private ValueTask TruncatedAsync(string itemId, int contentIndex, int audioEndMs)
    {
        var w = events.StartEvent("conversation.item.truncated"u8);
        w.WriteString("item_id"u8, itemId);
        w.WriteNumber("content_index"u8, contentIndex);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        return events.EmitAsync();
    }

    private static ClientError? ReadItemId(JsonElement root, out string itemId, params string[] fields)
    {
        itemId = string.Empty;
        if (ClientJson.OnlyKnown(root, "", ["type", "event_id", .. fields]) is { } unknown)
        {
            return unknown;
        }

        return root.TryGetProperty("item_id", out var idEl) ? ClientJson.String(idEl, "item_id", out itemId) : ClientError.Missing("item_id");
    }
}
