using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.TestSupport.Vertex;

/// <summary>A Google service account made in the test: an RSA key, its JSON key file, and JWTs signed with it.</summary>
public sealed class ServiceAccount : IDisposable
{
    public const string CloudPlatform = "https://www.googleapis.com/auth/cloud-platform";
    public const string GoogleTokenUrl = "https://oauth2.googleapis.com/token";

    private ServiceAccount(string email, string keyId)
    {
        Email = email;
        KeyId = keyId;
    }

    public RSA Key { get; } = RSA.Create(2048);
    public string Email { get; }
    public string KeyId { get; }

    public static ServiceAccount Create(string name = "live-tests") =>
        new($"{name}@emulator-project.iam.gserviceaccount.com", Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant());

    /// <summary>Writes a key file in Google's format; <paramref name="tokenUri"/> is where Google's libraries ask for tokens.</summary>
    public string WriteKeyFile(string tokenUri = GoogleTokenUrl)
    {
        var path = Path.Combine(TestDirectories.Create("gemini-vertex"), "key.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "emulator-project",
            ["private_key_id"] = KeyId,
            ["private_key"] = Key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = Email,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri,
        }));
        return path;
    }

    /// <summary>The claims Google's service-account flow sends, issued at <paramref name="issuedAt"/> for an hour.</summary>
    public Dictionary<string, object> Claims(DateTimeOffset issuedAt, string audience = GoogleTokenUrl) => new()
    {
        ["iss"] = Email,
        ["scope"] = CloudPlatform,
        ["aud"] = audience,
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = issuedAt.ToUnixTimeSeconds() + 3600,
    };

    /// <summary>A hand-built RS256 JWT: base64url(header).base64url(claims).base64url(PKCS#1 v1.5 SHA-256 signature).</summary>
    public string SignJwt(IDictionary<string, object> claims, RSA? signingKey = null)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = (signingKey ?? Key).SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => Key.Dispose();
}
