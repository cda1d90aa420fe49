using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// The replay bookkeeping of one connection being rebuilt: each replayed event (by its event_id) awaits the server's
/// confirmation (session.updated; conversation.item.done of its item) or rejection (an error naming the event_id), and
/// the echoes of replayed items (conversation.item.added/done) must not reach the client. Written by the rebuild and by
/// the connection's reader, so it takes its own lock.
/// </summary>
public sealed class OpenAIReplayOperations
{
    private readonly object _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<ReplayResult>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _eventIdByItemId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _echoIds = new(StringComparer.Ordinal);
    private string? _sessionUpdateEventId;

    /// <summary>The replayed session.update whose session.updated must be swallowed; null when none is awaited.</summary>
    public string? SessionUpdateEventId
    {
        get => Volatile.Read(ref _sessionUpdateEventId);
        set => Volatile.Write(ref _sessionUpdateEventId, value);
    }

    /// <summary>
    /// A replayed event <paramref name="eventId"/> is about to be sent; for a conversation.item.create,
    /// <paramref name="itemId"/> is its item, whose echoes are then the connector's own. Completes with the answer.
    /// </summary>
    public Task<ReplayResult> Register(string eventId, string? itemId)
    {
        var op = new TaskCompletionSource<ReplayResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[eventId] = op;
            if (itemId is not null)
            {
                _eventIdByItemId[itemId] = eventId;
                _echoIds.Add(itemId);
            }
        }
        return op.Task;
    }

    /// <summary>Whether an item event echoes a replayed item; at <paramref name="done"/> its replay operation is confirmed.</summary>
    public bool IsEcho(string itemId, bool done)
    {
        lock (_gate)
        {
            if (_echoIds.Count == 0 || !_echoIds.Contains(itemId)) return false;
            if (!done) return true;
            _echoIds.Remove(itemId);
            if (_eventIdByItemId.Remove(itemId, out var eventId) && _pending.Remove(eventId, out var op))
                op.TrySetResult(ReplayResult.Confirmed);
            return true;
        }
    }

    /// <summary>
    /// Answers the replayed event <paramref name="eventId"/>; false when it is not one (the event is the client's).
    /// A rejected item's later echoes, if any, are no longer swallowed.
    /// </summary>
    public bool Complete(string eventId, ReplayResult result)
    {
        lock (_gate)
        {
            if (!_pending.Remove(eventId, out var op)) return false;
            foreach (var (itemId, opEventId) in _eventIdByItemId)
            {
                if (opEventId != eventId) continue;
                _eventIdByItemId.Remove(itemId);
                if (!result.Ok) _echoIds.Remove(itemId);
                break;
            }
            op.TrySetResult(result);
            return true;
        }
    }
}

/// <summary>How the server answered one replayed event.</summary>
public readonly record struct ReplayResult(bool Ok, string? Code, string? Param, string? Message)
{
    public static ReplayResult Confirmed => new(true, null, null, null);

    /// <summary>From an error event's <c>error</c> object.</summary>
    public static ReplayResult Rejected(JsonNode? error) =>
        new(false, error?["code"].Str(), error?["param"].Str(), error?["message"].Str());
}
