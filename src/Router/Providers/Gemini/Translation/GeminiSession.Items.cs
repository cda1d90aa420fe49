using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>conversation.item.create / retrieve / truncate / delete, and user audio items.</summary>
internal sealed partial class GeminiSession
{
    /// <summary>Client content not yet sent to Gemini; goes out with the next response.create (or when the user starts speaking).</summary>
    private readonly List<PendingTurn> _pendingTurns = [];

    /// <summary>function_call_output items for calls Gemini is waiting on, sent as toolResponse on response.create.</summary>
    private readonly List<(string CallId, string Name, string Output)> _pendingToolOutputs = [];

    /// <summary>Gemini function calls awaiting a toolResponse: call id → function name.</summary>
    private readonly Dictionary<string, string> _pendingCalls = new(StringComparer.Ordinal);

    private async ValueTask<ClientError?> ItemCreateAsync(JsonElement root)
    {
        if (ClientJson.OnlyKnown(root, "", "type", "event_id", "previous_item_id", "item") is { } unknown)
        {
            return unknown;
        }

        string? previousId = null;
        if (root.TryGetProperty("previous_item_id", out var previousEl) && previousEl.ValueKind != JsonValueKind.Null)
        {
            if (ClientJson.String(previousEl, "previous_item_id", out var value) is { } pe)
            {
                return pe;
            }

            if (value != "root" && !_conversation.Contains(value))
            {
                return ClientError.InvalidValueMessage("previous_item_id", $"Error adding item: the previous item with id '{value}' does not exist.");
            }

            previousId = value;
        }

        if (!root.TryGetProperty("item", out var itemEl))
        {
            return ClientError.Missing("item");
        }

        if (ItemParser.Parse(itemEl, out var parsed, out var inputAudio) is { } error)
        {
            return error;
        }

        var item = parsed!;
        if (_conversation.Contains(item.Id))
        {
            return ClientError.InvalidValueMessage("item.id", $"Error adding item: the item with id '{item.Id}' already exists.");
        }

        if (item.Type == "function_call_output" && _conversation.FindFunctionCall(item.CallId!) is null)
        {
            return ClientError.InvalidValueMessage("item.call_id", $"Tool call ID '{item.CallId}' not found in conversation.");
        }

        var previous = _conversation.Insert(item, previousId);
        await EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await EmitItemEventAsync("conversation.item.done"u8, item, previous);
        QueueForUpstream(item, inputAudio);
        return null;
    }

    /// <summary>Maps a client item onto what Gemini's append-only context can take.</summary>
    private void QueueForUpstream(ConversationItem item, byte[]? inputAudio)
    {
        switch (item.Type)
        {
            case "message":
                var text = string.Concat(item.Content.Select(c => c.Text ?? c.Transcript ?? string.Empty));
                // Gemini Live has no system role mid-session: a system message becomes user-turn text.
                var role = item.Role == "assistant" ? "model" : "user";
                if (text.Length > 0 || inputAudio is not null)
                {
                    _pendingTurns.Add(new PendingTurn(role, text, inputAudio, item.Id));
                }

                break;
            case "function_call_output":
                if (_pendingCalls.TryGetValue(item.CallId!, out var name))
                {
                    _pendingToolOutputs.Add((item.CallId!, name, item.Output ?? string.Empty));
                }
                else if (_orphanedCalls.Remove(item.CallId!, out var orphanName))
                {
                    // A call made on a connection that is gone (resume, drop after goAway): the Gemini session now
                    // running never made it, so its result goes up as context text with the next turn.
                    _pendingTurns.Add(new PendingTurn("user", ConversationHistory.FunctionResultText(orphanName, item.Output ?? string.Empty), null, item.Id));
                }
                else
                {
                    // A client-created call, or one Gemini cancelled (toolCallCancellation): local history only.
                    _logger.LogDebug("Gemini session {SessionId}: output for call {CallId} kept locally (Gemini is not waiting for it)",
                        _context.SessionId, item.CallId);
                }

                break;
            default:
                // Client-created function_call items stay in the local conversation only.
                break;
        }
    }

    private async ValueTask<ClientError?> ItemRetrieveAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }

        if (!_conversation.TryGet(itemId, out var item))
        {
            return new ClientError("item_retrieve_invalid_item_id", $"Error retrieving item: the item with id '{itemId}' does not exist.", "item_id");
        }

        var w = _events.StartEvent("conversation.item.retrieved"u8);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await EmitAsync();
        return null;
    }

    private async ValueTask<ClientError?> ItemDeleteAsync(JsonElement root)
    {
        if (ReadItemId(root, out var itemId, "item_id") is { } error)
        {
            return error;
        }

        if (!_conversation.Remove(itemId))
        {
            return new ClientError("item_delete_invalid_item_id", $"Error deleting item: the item with id '{itemId}' does not exist.", "item_id");
        }

        // Gemini's context is append-only: the item leaves the local conversation only.
        var w = _events.StartEvent("conversation.item.deleted"u8);
        w.WriteString("item_id"u8, itemId);
        await EmitAsync();
        return null;
    }

    private async ValueTask<ClientError?> ItemTruncateAsync(JsonElement root)
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

        if (!_conversation.TryGet(itemId, out var item))
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
            var restored = _events.StartEvent("conversation.item.truncated"u8);
            restored.WriteString("item_id"u8, itemId);
            restored.WriteNumber("content_index"u8, contentIndex);
            restored.WriteNumber("audio_end_ms"u8, audioEndMs);
            await EmitAsync();
            return null;
        }

        var durationMs = (int)Math.Floor(part.AudioMs);
        if (audioEndMs > durationMs)
        {
            return ClientError.InvalidValueMessage("audio_end_ms", $"Audio content of {durationMs}ms is already shorter than {audioEndMs}ms");
        }

        // The transcript is cut in proportion to the audio heard, back to a word boundary. Gemini already keeps only
        // what it sent; it cannot be trimmed further upstream.
        part.Transcript = HeardPrefix(part.Transcript ?? string.Empty, durationMs == 0 ? 0 : audioEndMs / (double)durationMs);
        part.AudioMs = audioEndMs;
        var w = _events.StartEvent("conversation.item.truncated"u8);
        w.WriteString("item_id"u8, itemId);
        w.WriteNumber("content_index"u8, contentIndex);
        w.WriteNumber("audio_end_ms"u8, audioEndMs);
        await EmitAsync();
        return null;
    }

    internal static string HeardPrefix(string transcript, double fraction)
    {
        var cut = (int)Math.Floor(transcript.Length * Math.Clamp(fraction, 0, 1));
        if (cut >= transcript.Length)
        {
            return transcript;
        }

        if (cut < transcript.Length && transcript[cut] == ' ')
        {
            return transcript[..cut];
        }

        var space = transcript.LastIndexOf(' ', Math.Max(0, cut));
        return space <= 0 ? string.Empty : transcript[..space];
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

    /// <summary>input_audio_buffer.committed + the user audio item (conversation.item.added / .done).</summary>
    private async ValueTask CommitUserAudioItemAsync(string itemId, double durationMs)
    {
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user" };
        item.Content.Add(new ItemContent { Type = "input_audio", AudioMs = durationMs });
        var previous = _conversation.Insert(item);
        var w = _events.StartEvent("input_audio_buffer.committed"u8);
        WritePrevious(w, previous);
        w.WriteString("item_id"u8, itemId);
        await EmitAsync();
        await EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await EmitItemEventAsync("conversation.item.done"u8, item, previous);
        _upstreamHasContext = true;
        await CompleteInputTranscriptionAsync();
        _user.Transcribing(itemId);
    }

    private ValueTask EmitItemEventAsync(ReadOnlySpan<byte> type, ConversationItem item, string? previous)
    {
        var w = _events.StartEvent(type);
        WritePrevious(w, previous);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        return EmitAsync();
    }

    private static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
    }
}

/// <summary>Client content waiting to be sent to Gemini as a clientContent turn.</summary>
public sealed record PendingTurn(string Role, string Text, byte[]? Audio24k, string? ItemId = null);
