using System.Buffers.Text;
using System.Security.Cryptography;

namespace VoicePlatform.Tools.Registry;

/// <summary>Webhook signing secrets: <c>whsec_</c> + 32 random bytes (base64url). The HMAC key is the whole string's UTF-8 bytes.</summary>
public static class SigningSecret
{
    public const string Prefix = "whsec_";

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
