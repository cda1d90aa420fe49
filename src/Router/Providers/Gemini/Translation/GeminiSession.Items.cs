using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>conversation.item.create / retrieve / truncate / delete, and user audio items.</summary>
internal sealed partial class GeminiSession
{
    /// <summary>Client content not yet sent to Gemini; goes out with the next response.create (or when the user starts speaking).</summary>
    private readonly List<PendingTurn> _pendingTurns = [];

    /// <summary>Gemini's function calls: awaited by the connection, or orphaned by one that is gone; their outputs' way up.</summary>
    private readonly GeminiFunctionCalls _calls = new();

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
        await _clientEvents.EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await _clientEvents.EmitItemEventAsync("conversation.item.done"u8, item, previous);
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
                switch (_calls.Output(item.CallId!, item.Output ?? string.Empty, out var contextText))
                {
                    case FunctionOutputRoute.ContextText:
                        // A call made on a connection that is gone (resume, drop after goAway): the Gemini session now
                        // running never made it, so its result goes up as context text with the next turn.
                        _pendingTurns.Add(new PendingTurn("user", contextText!, null, item.Id));
                        break;
                    case FunctionOutputRoute.LocalOnly:
                        _logger.LogDebug("Gemini session {SessionId}: output for call {CallId} kept locally (Gemini is not waiting for it)",
                            _context.SessionId, item.CallId);
                        break;
                }

                break;
            default:
                // Client-created function_call items stay in the local conversation only.
                break;
        }
    }

    /// <summary>input_audio_buffer.committed + the user audio item (conversation.item.added / .done).</summary>
    private async ValueTask CommitUserAudioItemAsync(string itemId, double durationMs)
    {
        var item = new ConversationItem { Id = itemId, Type = "message", Role = "user" };
        item.Content.Add(new ItemContent { Type = "input_audio", AudioMs = durationMs });
        var previous = _conversation.Insert(item);
        var w = _clientEvents.StartEvent("input_audio_buffer.committed"u8);
        ClientEventStream.WritePrevious(w, previous);
        w.WriteString("item_id"u8, itemId);
        await _clientEvents.EmitAsync();
        await _clientEvents.EmitItemEventAsync("conversation.item.added"u8, item, previous);
        await _clientEvents.EmitItemEventAsync("conversation.item.done"u8, item, previous);
        _link.HasContext = true;
        await CompleteInputTranscriptionAsync();
        _input.User.Transcribing(itemId);
    }
}

/// <summary>Client content waiting to be sent to Gemini as a clientContent turn.</summary>
public sealed record PendingTurn(string Role, string Text, byte[]? Audio24k, string? ItemId = null);
