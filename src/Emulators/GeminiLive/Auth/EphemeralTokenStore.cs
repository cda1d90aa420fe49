using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

/// <summary>In-memory store of minted ephemeral tokens.</summary>
internal sealed class EphemeralTokenStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EphemeralToken> _tokens = new(StringComparer.Ordinal);

    public EphemeralToken Mint(int uses, DateTimeOffset? expireTime, DateTimeOffset? newSessionExpireTime, JsonObject? constraints)
    {
        var now = time.GetUtcNow();
        var name = "auth_tokens/" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        var token = new EphemeralToken(name, uses, expireTime ?? now.AddMinutes(30), newSessionExpireTime ?? now.AddSeconds(60), constraints);
        _tokens[name] = token;
        return token;
    }

    public EphemeralToken? Find(string name) => _tokens.TryGetValue(name, out var token) ? token : null;

    public bool IsExpired(EphemeralToken token) => time.GetUtcNow() >= token.ExpireTime;

    /// <summary>Starting a new (not resumed) session needs newSessionExpireTime not passed and a use left.</summary>
    public bool TryStartNewSession(EphemeralToken token)
    {
        lock (token)
        {
            if (time.GetUtcNow() >= token.NewSessionExpireTime || (token.Uses > 0 && token.Used >= token.Uses))
            {
                return false;
            }

            token.Used++;
            return true;
        }
    }
}
