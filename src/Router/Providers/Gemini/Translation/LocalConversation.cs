using VoicePlatform.RealtimeProtocol;
namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The connector's copy of the conversation (OpenAI item order), for previous_item_id, retrieve, delete, truncate and
/// call_id checks. Gemini's own context is append-only; deletes and mid-list inserts are local only.
/// </summary>
/// <param name="images">The images its user messages carried, as far as this Router keeps them.</param>
internal sealed class LocalConversation(SessionImages images)
{
    private readonly List<ConversationItem> _items = [];
    private readonly Dictionary<string, ConversationItem> _byId = new(StringComparer.Ordinal);

    /// <summary>The conversation_id responses report; kept across a resume (recorded as provider state).</summary>
    public string Id { get; set; } = RealtimeIds.New("conv");

    /// <summary>The images its user messages carried, as far as this Router keeps them.</summary>
    public SessionImages Images => images;

    public string? LastId => _items.Count == 0 ? null : _items[^1].Id;

    /// <summary>The items in conversation order.</summary>
    public IReadOnlyList<ConversationItem> Items => _items;

    public bool Contains(string id) => _byId.ContainsKey(id);

    public bool TryGet(string id, out ConversationItem item) => _byId.TryGetValue(id, out item!);

    /// <summary>Inserts after <paramref name="previousId"/> ("root" = first, null = last); returns the id before it.</summary>
    public string? Insert(ConversationItem item, string? previousId = null)
    {
        int index;
        if (previousId is null)
        {
            index = _items.Count;
        }
        else if (previousId == "root")
        {
            index = 0;
        }
        else
        {
            index = _items.FindIndex(i => i.Id == previousId) + 1;
            if (index == 0)
            {
                throw new InvalidOperationException($"Unknown previous item {previousId}.");
            }
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
        images.Forget(id);
        return true;
    }

    public ConversationItem? FindFunctionCall(string callId) =>
        _items.Find(i => i.Type == "function_call" && i.CallId == callId);
}
