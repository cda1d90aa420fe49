using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;

namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// The conversation as the checkpoint keeps it: the items by id, as JSON without audio (history replay needs words, not
/// sound), and what the store still lacks: new items to append, or the whole history again once an item changed or
/// went. Not thread-safe: <see cref="SessionCheckpointer"/>'s gate guards it.
/// </summary>
internal sealed class CheckpointHistory
{
    private readonly List<(string Id, string Json)> _items = [];
    private readonly List<string> _pendingAppends = [];
    private bool _rewrite;

    /// <summary>The history a resumed session starts from; <paramref name="rewrite"/>: the store's copy must be replaced.</summary>
    public void Restore(IEnumerable<JsonElement> items, bool rewrite)
    {
        foreach (var item in items)
            _items.Add((item.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "", item.GetRawText()));
        _rewrite |= rewrite;
    }

    public bool Contains(string id) => _items.FindIndex(i => i.Id == id) >= 0;

    /// <summary>Something the store does not have yet.</summary>
    public bool HasPending => _pendingAppends.Count > 0 || _rewrite;

    public HashSet<string> Ids() => _items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

    public List<JsonElement> Snapshot() => _items.Select(i => JsonDocument.Parse(i.Json).RootElement.Clone()).ToList();

    /// <summary>A new item is appended; a known one replaced (and the history written again).</summary>
    public void Upsert(JsonObject item)
    {
        if (item["content"] is JsonArray content)
        {
            foreach (var part in content.OfType<JsonObject>())
            {
                part.Remove("audio");
                // An image's data URI (up to ~13 MB) stays out too, like audio bytes; the item keeps its part type.
                if (part["image_url"] is JsonValue url && url.TryGetValue<string>(out var uri) && uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                    part.Remove("image_url");
            }
        }
        var id = item["id"]?.GetValue<string>() ?? "";
        var json = item.ToJsonString(WireJson.Options);
        var index = _items.FindIndex(i => i.Id == id);
        if (index >= 0)
        {
            _items[index] = (id, json);
            _rewrite = true;
        }
        else
        {
            _items.Add((id, json));
            _pendingAppends.Add(json);
        }
    }

    public void Delete(string? id)
    {
        if (_items.RemoveAll(i => i.Id == id) > 0) _rewrite = true;
    }

    /// <summary>The user's words arrive after the item was done: they are folded into the stored item.</summary>
    public void FoldTranscript(string? itemId, int contentIndex, string? transcript)
    {
        var index = _items.FindIndex(i => i.Id == itemId);
        if (index < 0) return;
        var item = JsonNode.Parse(_items[index].Json)!.AsObject();
        if (item["content"] is JsonArray content && contentIndex < content.Count && content[contentIndex] is JsonObject part)
        {
            part["transcript"] = transcript;
            _items[index] = (_items[index].Id, item.ToJsonString(WireJson.Options));
            _rewrite = true;
        }
    }

    /// <summary>The store lost its copy: the next write has the whole history.</summary>
    public void RewriteAll() => _rewrite = true;

    /// <summary>What the next write carries: the whole history (<c>Replacement</c>) or the items added since the last one.</summary>
    public (List<string>? Appends, List<string>? Replacement) TakePending()
    {
        var replacement = _rewrite ? _items.Select(i => i.Json).ToList() : null;
        List<string>? appends = replacement is null ? [.. _pendingAppends] : null;
        _pendingAppends.Clear();
        _rewrite = false;
        return (appends, replacement);
    }

    /// <summary>A write that failed: what it carried is pending again, before anything added since.</summary>
    public void PutBack(List<string>? appends, List<string>? replacement)
    {
        if (replacement is not null) _rewrite = true;
        else _pendingAppends.InsertRange(0, appends!);
    }
}
