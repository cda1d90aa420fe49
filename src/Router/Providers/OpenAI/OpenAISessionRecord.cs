using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// The connector's own record of what an OpenAI session is: the effective session object (last
/// <c>session.created/updated</c> relayed to the client) and the conversation items in conversation order, without
/// audio bytes. It is kept from the server events the connector relays (never per audio frame) and is what a
/// rollover rebuilds the next upstream connection from. Thread-safe: written by the reader of the current
/// connection, read by the rollover.
/// </summary>
internal sealed class OpenAISessionRecord
{
    private readonly object _gate = new();
    private readonly List<Entry> _items = [];
    private JsonObject? _session;

    private sealed class Entry(string id)
    {
        public string Id { get; } = id;
        /// <summary>The final item (from conversation.item.done); null while the item is still in progress.</summary>
        public JsonObject? Item { get; set; }
        /// <summary>Assistant audio the client received for this item (for conversation.item.truncated).</summary>
        public int AudioMs { get; set; }
    }

    /// <summary>Starts from a checkpoint (resume).</summary>
    public void Seed(SessionResumeState resume)
    {
        lock (_gate)
        {
            _session = resume.Session is { ValueKind: JsonValueKind.Object } session ? JsonNode.Parse(session.GetRawText())!.AsObject() : null;
            _items.Clear();
            foreach (var element in resume.History)
            {
                if (element.ValueKind != JsonValueKind.Object) continue;
                var item = JsonNode.Parse(element.GetRawText())!.AsObject();
                var id = item["id"].Str();
                if (string.IsNullOrEmpty(id)) continue;
                _items.Add(new Entry(id) { Item = item });
            }
        }
    }

    /// <summary>Whether input transcription is configured (pending transcriptions hold a rollover back).</summary>
    public bool TranscriptionEnabled
    {
        get
        {
            lock (_gate) return _session?["audio"]?["input"]?["transcription"] is JsonObject;
        }
    }

    /// <summary>Manual turns (<c>turn_detection: null</c>): uncommitted input audio is the client's turn in progress.</summary>
    public bool ManualTurns
    {
        get
        {
            lock (_gate)
            {
                return _session?["audio"]?["input"] is JsonObject input && input.TryGetPropertyValue("turn_detection", out var turn) && turn is null;
            }
        }
    }

    /// <summary>server/semantic VAD creates a response by itself after a committed turn (create_response, default true).</summary>
    public bool VadCreatesResponses
    {
        get
        {
            lock (_gate)
            {
                if (_session?["audio"]?["input"] is not JsonObject input || !input.TryGetPropertyValue("turn_detection", out var turn))
                    return true; // the server default is server_vad with create_response
                return turn is JsonObject t && (t["create_response"] is not JsonValue v || !v.TryGetValue<bool>(out var create) || create);
            }
        }
    }

    public void SessionChanged(JsonObject session)
    {
        lock (_gate) _session = session;
    }

    public void ItemAdded(string id, bool hasPrevious, string? previousItemId)
    {
        lock (_gate)
        {
            if (IndexOf(id) >= 0) return;
            int index;
            if (!hasPrevious) index = _items.Count;
            else if (previousItemId is null) index = 0; // inserted first
            else index = IndexOf(previousItemId) is var previous and >= 0 ? previous + 1 : _items.Count;
            _items.Insert(index, new Entry(id));
        }
    }

    public void ItemDone(JsonObject item, int audioMs)
    {
        var id = item["id"].Str();
        if (string.IsNullOrEmpty(id)) return;
        if (item["content"] is JsonArray content)
        {
            foreach (var part in content.OfType<JsonObject>()) part.Remove("audio");
        }
        lock (_gate)
        {
            var index = IndexOf(id);
            if (index < 0)
            {
                _items.Add(new Entry(id));
                index = _items.Count - 1;
            }
            _items[index].Item = item;
            if (audioMs > 0) _items[index].AudioMs = audioMs;
        }
    }

    public void ItemDeleted(string id)
    {
        lock (_gate)
        {
            var index = IndexOf(id);
            if (index >= 0) _items.RemoveAt(index);
        }
    }

    /// <summary>
    /// The client heard only <paramref name="audioEndMs"/> of an assistant audio part; the server dropped the unheard
    /// transcript. The server does not say what it kept, so the record keeps the same share of whole words.
    /// </summary>
    public void ItemTruncated(string id, int contentIndex, int audioEndMs)
    {
        lock (_gate)
        {
            var index = IndexOf(id);
            if (index < 0 || _items[index] is not { Item: { } item } entry) return;
            if (item["content"] is not JsonArray content || contentIndex >= content.Count || content[contentIndex] is not JsonObject part) return;
            var transcript = part["transcript"].Str() ?? "";
            var fraction = entry.AudioMs <= 0 ? 1.0 : Math.Clamp(audioEndMs / (double)entry.AudioMs, 0, 1);
            part["transcript"] = HeardTranscript.Prefix(transcript, fraction);
            entry.AudioMs = Math.Min(entry.AudioMs, audioEndMs);
        }
    }

    public void TranscriptionCompleted(string id, int contentIndex, string? transcript)
    {
        lock (_gate)
        {
            var index = IndexOf(id);
            if (index < 0 || _items[index].Item is not { } item) return;
            if (item["content"] is JsonArray content && contentIndex < content.Count && content[contentIndex] is JsonObject part)
                part["transcript"] = transcript;
        }
    }

    /// <summary>What a new upstream connection is rebuilt from: a copy of the session and the finished items, in order.</summary>
    public (JsonObject? Session, List<JsonObject> Items) Snapshot()
    {
        lock (_gate)
        {
            var items = new List<JsonObject>(_items.Count);
            foreach (var entry in _items)
            {
                if (entry.Item is not null) items.Add(entry.Item.DeepClone().AsObject());
            }
            return (_session?.DeepClone().AsObject(), items);
        }
    }

    private int IndexOf(string id)
    {
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Id == id) return i;
        }
        return -1;
    }
}
