using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>OAuth access tokens minted at <c>POST /token</c>, checked at the Vertex upgrade.</summary>
internal sealed class AccessTokenStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, IssuedAccessToken> _tokens = new(StringComparer.Ordinal);

    public IssuedAccessToken Mint(string serviceAccount, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        foreach (var (stale, old) in _tokens)
        {
            // Forget long-dead tokens so a long-running emulator does not grow without bound.
            if (old.ExpiresAt + TimeSpan.FromHours(1) < now)
            {
                _tokens.TryRemove(stale, out _);
            }
        }

        // Google's access tokens look like "ya29." followed by an opaque url-safe string.
        var value = "ya29." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new IssuedAccessToken(value, serviceAccount, now + lifetime);
        _tokens[value] = token;
        return token;
    }

    public IssuedAccessToken? Find(string value) => _tokens.TryGetValue(value, out var token) ? token : null;

    public bool IsExpired(IssuedAccessToken token) => time.GetUtcNow() >= token.ExpiresAt;
}

internal sealed record IssuedAccessToken(string Value, string ServiceAccount, DateTimeOffset ExpiresAt);
