using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// Tenant API keys look like <c>vpk_{keyId}_{secret}</c>. The key id is public (it names the key in the operator API
/// and finds its row); only a SHA-256 hash of the secret is stored. High-entropy secrets make a slow KDF unnecessary.
/// </summary>
public static class ApiKeyFormat
{
    private const string Prefix = "vpk_";

    public static (string KeyId, string Secret, string FullKey) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (keyId, secret, $"{Prefix}{keyId}_{secret}");
    }

    public static bool TryParse(string? presented, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (presented is null || presented.Length > 256 || !presented.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != 16) return false;
        keyId = rest[..separator].ToString();
        secret = rest[(separator + 1)..].ToString();
        return secret.Length > 0;
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison, so response timing does not leak how much of a hash matched.</summary>
    public static bool SecretMatches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(HashSecret(secret), storedHash);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '.');
}
