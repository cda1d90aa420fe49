using System.Text.Json;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// The client's <c>conversation.item.create</c> frames a provider took but has not confirmed yet (no
/// <c>conversation.item.done</c> for them, so the checkpoint does not hold them either). A provider that fails for good
/// takes them with it; the switch hands them to the next provider instead, in order. Confirmations are matched in
/// order: a provider adds client items in the order it got them. Items that are not the client's — what a response
/// produces (assistant messages, function calls) and what committed input audio becomes — confirm nothing; an error
/// naming a frame's <c>event_id</c> refused it. Thread-safe: frames come from the relay loop, events from the provider.
/// </summary>
public sealed class UnconfirmedClientItems
{
    private const int Capacity = 64; // beyond that the oldest is dropped: a provider this far behind is not answering anyway

    private readonly Lock _lock = new();
    private readonly LinkedList<(byte[] Frame, string? EventId)> _frames = new();
    private readonly HashSet<string> _committedAudioItems = new(StringComparer.Ordinal);

    /// <summary>
    /// A client event about to be handed to the provider (before, since a provider may confirm it while taking it):
    /// kept when it creates an item. Returns what <see cref="Withdraw"/> takes back if the hand-over fails.
    /// </summary>
    public object? Handing(ReadOnlySpan<byte> json, string? type)
    {
        if (type != "conversation.item.create") return null;
        var frame = json.ToArray();
        var eventId = Read(frame, static root => Text(root, "event_id"));
        lock (_lock)
        {
            var node = _frames.AddLast((frame, eventId));
            if (_frames.Count > Capacity) _frames.RemoveFirst();
            return node;
        }
    }

    /// <summary>The hand-over <paramref name="handing"/> stands for failed: the frame is not the provider's (its sender keeps it).</summary>
    public void Withdraw(object? handing)
    {
        if (handing is not LinkedListNode<(byte[] Frame, string? EventId)> node) return;
        lock (_lock)
        {
            if (node.List == _frames) _frames.Remove(node);
        }
    }

    /// <summary>A server event of the provider that took them.</summary>
    public void Observe(string? type, ReadOnlySpan<byte> json)
    {
        switch (type)
        {
            case "input_audio_buffer.committed":
                if (Read(json, static root => Text(root, "item_id")) is { } committed)
                    lock (_lock) _committedAudioItems.Add(committed);
                break;
            case "conversation.item.done":
                var (id, clients) = Read(json, static root => root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object
                    ? (Text(item, "id"), Text(item, "role") is not "assistant" && Text(item, "type") is not ("function_call" or "mcp_call"))
                    : (null, false));
                if (!clients) break;
                lock (_lock)
                {
                    if (id is not null && _committedAudioItems.Remove(id)) break;
                    if (_frames.First is not null) _frames.RemoveFirst();
                }
                break;
            case "error":
                if (Read(json, static root => root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                        ? Text(error, "event_id") : null) is not { } refused)
                    break;
                lock (_lock)
                {
                    for (var node = _frames.First; node is not null; node = node.Next)
                    {
                        if (node.Value.EventId != refused) continue;
                        _frames.Remove(node);
                        break;
                    }
                }
                break;
        }
    }

    /// <summary>The unconfirmed frames, oldest first; tracking starts over (for the provider they are handed to next).</summary>
    public IReadOnlyList<byte[]> TakeAll()
    {
        lock (_lock)
        {
            var frames = _frames.Select(f => f.Frame).ToList();
            _frames.Clear();
            _committedAudioItems.Clear();
            return frames;
        }
    }

    private static T? Read<T>(ReadOnlySpan<byte> json, Func<JsonElement, T> read)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
