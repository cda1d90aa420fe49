using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace VoicePlatform.Gateway.ClientSecrets;

/// <summary>
/// Ephemeral keys (<c>ek_…</c>) in Redis, so any Gateway instance accepts them. Only a SHA-256 of the key is stored; the
/// entry expires with the key, so an expired key is simply unknown.
/// </summary>
public sealed class ClientSecretStore(IConnectionMultiplexer redis, TimeProvider clock)
{
    public const string Prefix = "ek_";

    public static bool LooksLikeClientSecret(string? presented) => presented is not null && presented.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Stores the secret and returns the key to hand to the client (shown once).</summary>
    public async Task<string> MintAsync(ClientSecret secret)
    {
        var value = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var ttl = DateTimeOffset.FromUnixTimeSeconds(secret.ExpiresAtUnixSeconds) - clock.GetUtcNow();
        await redis.GetDatabase().StringSetAsync(Key(value), JsonSerializer.Serialize(secret), ttl);
        return value;
    }

    /// <summary>The secret behind a presented key, or null if unknown or expired.</summary>
    public async Task<ClientSecret?> FindAsync(string presented)
    {
        var stored = await redis.GetDatabase().StringGetAsync(Key(presented));
        if (stored.IsNullOrEmpty) return null;
        var secret = JsonSerializer.Deserialize<ClientSecret>(stored.ToString());
        // Redis expiry has millisecond precision, but the contract is expires_at: never admit past it.
        return secret is not null && clock.GetUtcNow().ToUnixTimeSeconds() < secret.ExpiresAtUnixSeconds ? secret : null;
    }

    private static RedisKey Key(string value) => "gw:client_secret:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
