using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// conversation.item.create / delete / truncate / retrieve, and the item events every added item gets.
/// Runs on the session's loop under its gate.
/// </summary>
internal sealed class ConversationItemRequests(RealtimeSession session)
{
    private ConversationState Conversation => session.Conversation;
    private EventWriter Writer => session.Writer;

    public async ValueTask<RealtimeError?> CreateAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id", "previous_item_id", "item") is { } unknown)
        {
            return unknown;
        }
        string? previousItemId = null;
        if (root.TryGetProperty("previous_item_id", out var previousEl) && previousEl.ValueKind != JsonValueKind.Null)
        {
            if (JsonRead.String(previousEl, "previous_item_id", out var value) is { } pe)
            {
                return pe;
            }
            if (value != "root" && !Conversation.Contains(value))
            {
                return RealtimeError.InvalidValueMessage("previous_item_id",
                    $"Error adding item: the previous item with id '{value}' does not exist.");
            }
            previousItemId = value;
        }
        if (!root.TryGetProperty("item", out var itemEl))
        {
            return RealtimeError.Missing("item");
        }
        if (ItemParser.Parse(itemEl, "item", session.Config.InputFormat, session.Ids, allowReference: false, out var item, out _) is { } error)
        {
            return error;
        }
        if (Conversation.Contains(item!.Id))
        {
            return RealtimeError.InvalidValueMessage("item.id", $"Error adding item: the item with id '{item.Id}' already exists.");
        }
        if (item.Type == "function_call_output" && Conversation.FindFunctionCall(item.CallId!) is null)
        {
            // Message observed verbatim; the code was not captured (protocol §5).
            return RealtimeError.InvalidValueMessage("item.call_id", $"Tool call ID '{item.CallId}' not found in conversation.");
        }

        // Adding an item never starts a response, not even a function_call_output (protocol §7).
        var previous = Conversation.Insert(item, previousItemId);
        await EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await EmitItemEventAsync("conversation.item.done"u8, item, previous);
        if (session.Options.Faults.TextTriggers && item.IsMessage && item.Role == "user"
            && item.Content.Select(c => FaultTrigger.Find(c.Text)).FirstOrDefault(f => f is not null) is { } fault)
        {
            session.TriggerFaultAfterMessage(fault);
        }
        return null;
    }

    public async ValueTask<RealtimeError?> DeleteAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }
        if (!Conversation.Remove(itemId))
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "item_delete_invalid_item_id",
                $"Error deleting item: the item with id '{itemId}' does not exist.", "item_id");
        }
        var w = Writer.Start("conversation.item.deleted"u8);
        w.WriteString("item_id"u8, itemId);
        await session.SendAsync();
        return null;
    }

    public async ValueTask<RealtimeError?> RetrieveAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }
        if (!Conversation.TryGet(itemId, out var item))
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "item_retrieve_invalid_item_id",
                $"Error retrieving item: the item with id '{itemId}' does not exist.", "item_id");
        }
        var w = Writer.Start("conversation.item.retrieved"u8);
        w.WritePropertyName("item"u8);
        item.WriteTo(w, includeAudio: true);
        await session.SendAsync();
        return null;
    }

    public async ValueTask<RealtimeError?> TruncateAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id", "content_index", "audio_end_ms") is { } error)
        {
            return error;
        }
        if (!root.TryGetProperty("content_index", out var indexEl))
        {
            return RealtimeError.Missing("content_index");
        }
        if (JsonRead.Int(indexEl, "content_index", 0, int.MaxValue, out var contentIndex) is { } ie)
        {
            return ie;
        }
        if (!root.TryGetProperty("audio_end_ms", out var endEl))
        {
            return RealtimeError.Missing("audio_end_ms");
        }
        if (JsonRead.Int(endEl, "audio_end_ms", 0, int.MaxValue, out var audioEndMs) is { } ee)
        {
            return ee;
        }
        if (!Conversation.TryGet(itemId, out var item))
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "item_truncate_invalid_item_id",
                $"Error truncating item: the item with id '{itemId}' does not exist.", "item_id");
        }
        var part = item is { IsMessage: true, Role: "assistant" } && contentIndex < item.Content.Count ? item.Content[contentIndex] : null;
        if (part is not { Type: "output_audio", Audio.ByteCount: > 0 })
        {
            // Observed by livekit (agents#6158) for items without model audio.
            return new RealtimeError(RealtimeError.InvalidRequest, "unsupported_content_type",
                "Only model output audio messages can be truncated", null);
        }
        var durationMs = (int)part.Audio!.DurationMs;
        if (audioEndMs > durationMs)
        {
            return RealtimeError.InvalidValueMessage("audio_end_ms",
                $"Audio content of {durationMs}ms is already shorter than {audioEndMs}ms");
        }

        // The client heard only audio_end_ms; drop the rest of the audio and the transcript past it.
        part.Audio.TruncateTo(audioEndMs);
        part.Transcript = HeardPrefix(part.Transcript ?? "", durationMs == 0 ? 0 : audioEndMs / (double)durationMs);
        var w = Writer.Start("conversation.item.truncated"u8);
        w.WriteString("item_id"u8, itemId);
        w.WriteNumber("content_index"u8, contentIndex);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        await session.SendAsync();
        return null;
    }

    /// <summary>Whole words of the transcript that fit in the heard fraction of the audio.</summary>
    private static string HeardPrefix(string transcript, double fraction)
    {
        var cut = (int)Math.Floor(transcript.Length * Math.Clamp(fraction, 0, 1));
        if (cut >= transcript.Length)
        {
            return transcript;
        }
        var space = transcript.LastIndexOf(' ', Math.Max(0, cut));
        return space <= 0 ? "" : transcript[..space];
    }

    private static RealtimeError? ReadItemId(JsonElement root, out string itemId, params string[] fields)
    {
        itemId = "";
        if (JsonRead.OnlyKnown(root, "", ["type", "event_id", .. fields]) is { } unknown)
        {
            return unknown;
        }
        if (!root.TryGetProperty("item_id", out var idEl))
        {
            return RealtimeError.Missing("item_id");
        }
        return JsonRead.String(idEl, "item_id", out itemId);
    }

    public ValueTask EmitItemEventAsync(ReadOnlySpan<byte> type, ConversationItem item, string? previous)
    {
        var w = Writer.Start(type);
        WritePrevious(w, previous);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        return session.SendAsync();
    }

    public static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
    }
}
