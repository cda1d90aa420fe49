using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.Tools.Tests;

/// <summary>
/// What a webhook receiver does to trust a request — the same logic as the verification snippet in docs/tools.md: a fresh
/// timestamp (within the tolerance either way) and a constant-time match of the v1 HMAC-SHA256 signature.
/// </summary>
public static class WebhookSignatureVerifier
{
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, out var timestamp) || signatureHeader is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds) return false; // replayed or forged time
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signatureHeader));
    }
}
