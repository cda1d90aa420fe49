using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

internal static class ApiKeys
{
    /// <summary>An empty GeminiEmulator:ApiKeys list accepts anything, including no key.</summary>
    public static bool IsAccepted(GeminiEmulatorOptions options, string? key) =>
        options.ApiKeys.Count == 0 || (key is not null && options.ApiKeys.Contains(key, StringComparer.Ordinal));
}
