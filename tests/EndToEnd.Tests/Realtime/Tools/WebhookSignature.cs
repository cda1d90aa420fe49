using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>The receiver-side check of docs/tools.md: a recent timestamp and a constant-time match of the v1 HMAC-SHA256 signature.</summary>
internal static class WebhookSignature
{
    public static bool IsValid(string secret, string? timestamp, string? signature, byte[] body)
    {
        if (!long.TryParse(timestamp, out var ts) || signature is null) return false;
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300) return false;
        var signed = Encoding.UTF8.GetBytes($"{ts}.").Concat(body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }
}
