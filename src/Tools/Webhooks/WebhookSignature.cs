using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// Webhook request signing: <c>X-VoicePlatform-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>
/// with <c>X-VoicePlatform-Timestamp</c> in unix seconds. Signing the timestamp lets receivers reject replays of an
/// old request; the key is the secret string's UTF-8 bytes.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-VoicePlatform-Timestamp";
    public const string SignatureHeader = "X-VoicePlatform-Signature";
    public const string CallIdHeader = "X-VoicePlatform-Call-Id";
    public const string Version = "v1";

    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }
}
