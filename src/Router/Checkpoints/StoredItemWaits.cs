namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// Events waiting for the checkpoint to hold an item (see <see cref="SessionCheckpointer"/>): one task per item id,
/// completed by the write that stores it. Thread-safe.
/// </summary>
internal sealed class StoredItemWaits
{
    private readonly Dictionary<string, TaskCompletionSource> _waits = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string> _lastStored = []; // every write reports all items it holds: the latest says it all

    /// <summary>Completes once a write holds <paramref name="itemId"/> (at once if the latest one did).</summary>
    public Task For(string itemId)
    {
        lock (_waits)
        {
            if (_lastStored.Contains(itemId)) return Task.CompletedTask;
            if (!_waits.TryGetValue(itemId, out var wait))
                _waits[itemId] = wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return wait.Task;
        }
    }

    /// <summary>A landed write holds these items.</summary>
    public void Stored(IReadOnlyCollection<string> itemIds)
    {
        lock (_waits)
        {
            _lastStored = itemIds;
            if (_waits.Count == 0) return;
            foreach (var id in itemIds)
            {
                if (_waits.Remove(id, out var wait)) wait.TrySetResult();
            }
        }
    }

    /// <summary>Gave up waiting (Redis stalled): forget it.</summary>
    public void Abandon(string itemId)
    {
        lock (_waits) _waits.Remove(itemId);
    }
}
