namespace VoicePlatform.Emulators.OpenAIRealtime.Conversation;

/// <summary>The ordered item list of the session's default conversation.</summary>
internal sealed class ConversationState
{
    private readonly List<ConversationItem> _items = [];
    private readonly Dictionary<string, ConversationItem> _byId = new(StringComparer.Ordinal);

    public ConversationState(string id) => Id = id;

    public string Id { get; }

    public IReadOnlyList<ConversationItem> Items => _items;

    public bool Contains(string id) => _byId.ContainsKey(id);

    public bool TryGet(string id, out ConversationItem item) => _byId.TryGetValue(id, out item!);

    public string? LastItemId => _items.Count == 0 ? null : _items[^1].Id;

    /// <summary>Inserts after <paramref name="previousItemId"/> ("root" = first, null = last); returns the id before it.</summary>
    public string? Insert(ConversationItem item, string? previousItemId)
    {
        int index;
        if (previousItemId is null)
        {
            index = _items.Count;
        }
        else if (previousItemId == "root")
        {
            index = 0;
        }
        else
        {
            index = _items.FindIndex(i => i.Id == previousItemId) + 1;
        }
        _items.Insert(index, item);
        _byId[item.Id] = item;
        return index == 0 ? null : _items[index - 1].Id;
    }

    public string? PreviousIdOf(ConversationItem item)
    {
        var index = _items.IndexOf(item);
        return index <= 0 ? null : _items[index - 1].Id;
    }

    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var item))
        {
            return false;
        }
        _items.Remove(item);
        return true;
    }

    public ConversationItem? FindFunctionCall(string callId) =>
        _items.FirstOrDefault(i => i.Type == "function_call" && i.CallId == callId);
}
