using System.Security.Cryptography;
using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>The parts of a Google service-account JSON key file that verify its JWTs.</summary>
internal sealed record ServiceAccountKey(string ClientEmail, string? PrivateKeyId, RSAParameters PublicKey)
{
    public static ServiceAccountKey Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var email = root.GetProperty("client_email").GetString() ?? throw new InvalidDataException($"{path}: no client_email");
        var pem = root.GetProperty("private_key").GetString() ?? throw new InvalidDataException($"{path}: no private_key");
        var keyId = root.TryGetProperty("private_key_id", out var id) ? id.GetString() : null;
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new ServiceAccountKey(email, keyId, rsa.ExportParameters(includePrivateParameters: false));
    }

    public bool Verifies(ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> signature)
    {
        using var rsa = RSA.Create(PublicKey);
        return rsa.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
