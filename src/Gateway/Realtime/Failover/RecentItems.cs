namespace VoicePlatform.Gateway.Realtime.Failover;

/// <summary>
/// The ids of the last <c>capacity</c> distinct items, in the order they were first added (oldest first). Not
/// thread-safe: <see cref="TurnLedger"/> holds its lock around it.
/// </summary>
internal sealed class RecentItems(int capacity)
{
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public void Add(string id)
    {
        if (!_ids.Add(id)) return;
        _order.Enqueue(id);
        if (_order.Count > capacity) _ids.Remove(_order.Dequeue());
    }

    public List<string> ToList() => [.. _order];
}
