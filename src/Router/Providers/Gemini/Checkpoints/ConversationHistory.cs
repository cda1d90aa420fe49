using System.Text;
using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The conversation as words, for continuity: checkpointed items (OpenAI GA item shapes, no audio bytes) back into
/// <see cref="ConversationItem"/>s, and items into Gemini <c>clientContent</c> turns when a context has to be rebuilt
/// (no resumption handle, or Gemini refused it). Function calls and their results go up as text: Live's clientContent
/// is documented for text/inline data, and a model turn in context only needs to say what happened. Images the Router
/// still has go up as frames of their own (<see cref="HistoryFrames"/>); one it no longer has is said in words.
/// </summary>
internal static class ConversationHistory
{
    /// <summary>A checkpointed item, read leniently (it was valid when it was emitted). Null for shapes it cannot use.</summary>
    public static ConversationItem? FromCheckpoint(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || Str(json, "id") is not { Length: > 0 } id || Str(json, "type") is not { } type)
        {
            return null;
        }

        switch (type)
        {
            case "message":
                var item = new ConversationItem { Id = id, Type = type, Role = Str(json, "role") ?? "user", Status = Str(json, "status") ?? "completed" };
                if (json.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in content.EnumerateArray())
                    {
                        if (part.ValueKind != JsonValueKind.Object || Str(part, "type") is not { } partType)
                        {
                            continue;
                        }

                        item.Content.Add(new ItemContent
                        {
                            Type = partType,
                            Text = Str(part, "text"),
                            Transcript = Str(part, "transcript"),
                            // Audio is not checkpointed: its length is unknown (truncate takes the client's cut as is).
                            AudioMs = partType is "input_audio" or "output_audio" ? double.NaN : 0,
                        });
                    }
                }

                return item;
            case "function_call":
                return new ConversationItem
                {
                    Id = id,
                    Type = type,
                    Status = Str(json, "status") ?? "completed",
                    CallId = Str(json, "call_id") ?? string.Empty,
                    Name = Str(json, "name") ?? string.Empty,
                    Arguments = Str(json, "arguments") ?? "{}",
                };
            case "function_call_output":
                return new ConversationItem { Id = id, Type = type, CallId = Str(json, "call_id") ?? string.Empty, Output = Str(json, "output") ?? string.Empty };
            default:
                return null;
        }
    }

    /// <summary>The Gemini turn an item becomes in a rebuilt context: role <c>user</c> or <c>model</c> and its words; null if it has none.</summary>
    public static (string Role, string Text)? ToTurn(ConversationItem item, LocalConversation conversation)
    {
        switch (item.Type)
        {
            case "message":
                var text = new StringBuilder();
                for (var i = 0; i < item.Content.Count; i++)
                {
                    var part = item.Content[i];
                    var words = part.Type == "input_image" ? ImageWords(item.Id, i, conversation.Images) : part.Text ?? part.Transcript;
                    if (string.IsNullOrEmpty(words))
                    {
                        continue;
                    }

                    if (text.Length > 0)
                    {
                        text.Append(' ');
                    }

                    text.Append(words);
                }

                // Untranscribed user audio has no words to give back; system messages go up as user text (as live).
                return text.Length == 0 ? null : (item.Role == "assistant" ? "model" : "user", text.ToString());
            case "function_call":
                return ("model", FunctionCallText(item.Name ?? string.Empty, item.Arguments));
            case "function_call_output":
                var name = conversation.FindFunctionCall(item.CallId ?? string.Empty)?.Name ?? "function";
                return ("user", FunctionResultText(name, item.Output ?? string.Empty));
            default:
                return null;
        }
    }

    /// <summary>An image part in words: none when the Router still has it (it goes up as a frame of its own), else that it is gone.</summary>
    private static string? ImageWords(string itemId, int contentIndex, SessionImages images) =>
        images.TryGet(itemId, contentIndex, out _) ? null : images.Unavailable(itemId);

    public static string FunctionCallText(string name, string arguments) => $"[called function {name} with arguments {arguments}]";

    public static string FunctionResultText(string name, string output) => $"[function {name} returned: {output}]";

    /// <summary>
    /// The newest items that fit in <paramref name="maxChars"/> as Gemini turns, oldest first (items without words left
    /// out); with <paramref name="frames"/>, also the images of those items the Router still has, in conversation order.
    /// </summary>
    public static List<PendingTurn> Turns(IReadOnlyList<ConversationItem> items, LocalConversation conversation, int maxChars, List<HistoryFrame>? frames = null)
    {
        var turns = new List<PendingTurn>();
        var newestFirst = new List<(int TurnsSoFar, KeptImage Image)>();
        var chars = 0;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (ToTurn(items[i], conversation) is { } turn)
            {
                chars += turn.Text.Length;
                if (chars > maxChars && turns.Count > 0)
                {
                    break;
                }

                turns.Add(new PendingTurn(turn.Role, turn.Text, null, items[i].Id));
            }

            // An item's images went up before its words (as they did live).
            for (var part = items[i].Content.Count - 1; frames is not null && part >= 0; part--)
            {
                if (items[i].Content[part].Type == "input_image" && conversation.Images.TryGet(items[i].Id, part, out var image))
                {
                    newestFirst.Add((turns.Count, image));
                }
            }
        }

        turns.Reverse();
        for (var i = newestFirst.Count - 1; frames is not null && i >= 0; i--)
        {
            frames.Add(new HistoryFrame(turns.Count - newestFirst[i].TurnsSoFar, newestFirst[i].Image));
        }

        return turns;
    }

    /// <summary>
    /// Removes the user turns after the last model turn from <paramref name="turns"/> and returns their words (null if
    /// none): the input a lost reply answered, to be asked again as realtime text where clientContent cannot ask (3.1).
    /// </summary>
    public static string? TakeTrailingUserInput(List<PendingTurn> turns)
    {
        var first = turns.Count;
        while (first > 0 && turns[first - 1].Role == "user")
        {
            first--;
        }

        if (first == turns.Count)
        {
            return null;
        }

        var text = string.Join("\n", turns.Skip(first).Select(t => t.Text));
        turns.RemoveRange(first, turns.Count - first);
        return text;
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
