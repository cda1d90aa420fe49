using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// Checks tenant API keys. Key rows are cached for a few seconds so the hot path does not hit PostgreSQL per request;
/// a revocation evicts the row on every Gateway instance through Redis pub/sub, and the cache TTL bounds staleness
/// if that message is missed.
/// </summary>
public sealed class TenantKeyAuthenticator(ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    private const int MaxCachedKeys = 10_000;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    private sealed record CachedKey(ApiKeyRecord? Record, DateTimeOffset ExpiresAt);

    public async Task<AuthenticatedTenant?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var keyId, out var secret)) return null;

        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(keyId, out var cached) || cached.ExpiresAt <= now)
        {
            var record = await store.FindAsync(keyId, cancellationToken);
            // Unknown ids are cached too (briefly), so guessing ids does not turn into a query per request.
            if (_cache.Count >= MaxCachedKeys) _cache.Clear();
            cached = new CachedKey(record, now.AddSeconds(options.Value.ApiKeyCacheSeconds));
            _cache[keyId] = cached;
        }

        var key = cached.Record;
        if (key is null || key.IsRevoked || !ApiKeyFormat.SecretMatches(secret, key.SecretHash)) return null;
        return new AuthenticatedTenant(key.TenantId, key.Id);
    }

    /// <summary>Forgets a key so its next use is checked against the database.</summary>
    public void Evict(string keyId) => _cache.TryRemove(keyId, out _);
}
