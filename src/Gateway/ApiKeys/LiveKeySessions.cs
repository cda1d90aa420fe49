namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// The live realtime sessions on this Gateway by the API key that opened them (for an ephemeral key: the API key that
/// minted it), so a revocation can end them as it refuses new connections. Sessions register once at start and once
/// at end, so one lock is cheap enough and keeps registration and revocation exact.
/// </summary>
public sealed class LiveKeySessions(ILogger<LiveKeySessions> logger)
{
    private readonly Dictionary<string, HashSet<Registration>> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private sealed class Registration(LiveKeySessions owner, string keyId, Func<Task> revoked) : IDisposable
    {
        public string KeyId => keyId;
        public Func<Task> Revoked => revoked;
        public void Dispose() => owner.Remove(this);
    }

    /// <summary>The key ids that have live sessions here.</summary>
    public IReadOnlyList<string> KeyIds
    {
        get
        {
            lock (_gate) return [.. _byKey.Keys];
        }
    }

    /// <summary>Calls <paramref name="revoked"/> if the key is revoked before the returned handle is disposed (the session ended).</summary>
    public IDisposable Register(string keyId, Func<Task> revoked)
    {
        var registration = new Registration(this, keyId, revoked);
        lock (_gate)
        {
            if (!_byKey.TryGetValue(keyId, out var sessions)) _byKey[keyId] = sessions = [];
            sessions.Add(registration);
        }
        return registration;
    }

    /// <summary>The key was revoked: every live session it opened is told, once (each ends itself).</summary>
    public async Task RevokeAsync(string keyId)
    {
        HashSet<Registration>? sessions;
        lock (_gate)
        {
            if (!_byKey.Remove(keyId, out sessions)) return;
        }
        logger.LogInformation("API key {KeyId} revoked: ending its {Count} live sessions", keyId, sessions.Count);
        await Task.WhenAll(sessions.Select(async session =>
        {
            try
            {
                await session.Revoked();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A session of revoked key {KeyId} could not be ended", keyId);
            }
        }));
    }

    private void Remove(Registration registration)
    {
        lock (_gate)
        {
            if (!_byKey.TryGetValue(registration.KeyId, out var sessions)) return;
            sessions.Remove(registration);
            if (sessions.Count == 0) _byKey.Remove(registration.KeyId);
        }
    }
}
