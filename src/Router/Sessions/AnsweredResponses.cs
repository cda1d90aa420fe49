namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Which client request each recent response answers (response id to frame seq), bounded: a response's records are
/// made when it ends, shortly after it started, so only the latest few are ever asked for. Not thread-safe (the owner locks).
/// </summary>
public sealed class AnsweredResponses(int capacity)
{
    private readonly Dictionary<string, ulong> _seqs = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string responseId, ulong seq)
    {
        if (!_seqs.TryAdd(responseId, seq)) return;
        _order.Enqueue(responseId);
        if (_order.Count > capacity) _seqs.Remove(_order.Dequeue());
    }

    public ulong? Find(string responseId) => _seqs.TryGetValue(responseId, out var seq) ? seq : null;
}
