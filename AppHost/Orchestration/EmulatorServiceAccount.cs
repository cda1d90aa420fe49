using System.Security.Cryptography;
using System.Text.Json;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// A Google service account for the Gemini emulator's Vertex surface: an RSA key kept in the state directory, and its
/// key file in Google's format, whose <c>token_uri</c> is the emulator's <c>/token</c> (rewritten each run: the port
/// may change). The Router reads it as it would a real key file; the emulator verifies the Router's JWTs against it.
/// </summary>
public static class EmulatorServiceAccount
{
    public static string LoadOrCreate(string stateDirectory, string tokenUri)
    {
        var keyPath = Path.Combine(stateDirectory, "vertex-emulator-key.pem");
        using var rsa = RSA.Create(2048);
        if (File.Exists(keyPath)) rsa.ImportFromPem(File.ReadAllText(keyPath));
        else WritePrivate(keyPath, rsa.ExportPkcs8PrivateKeyPem());

        var path = Path.Combine(stateDirectory, "vertex-emulator-service-account.json");
        WritePrivate(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "voiceplatform-emulator",
            ["private_key_id"] = Convert.ToHexStringLower(SHA1.HashData(rsa.ExportSubjectPublicKeyInfo())),
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "router@voiceplatform-emulator.iam.gserviceaccount.com",
            ["token_uri"] = tokenUri,
        }));
        return path;
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
