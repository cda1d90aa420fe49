namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>Deterministic token estimates: text ≈ 4 characters per token, audio at a fixed rate per second.</summary>
internal static class TokenCounter
{
    public static int Text(string text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;

    public static int Audio(double seconds, double tokensPerSecond) =>
        seconds <= 0 ? 0 : Math.Max(1, (int)Math.Round(seconds * tokensPerSecond, MidpointRounding.AwayFromZero));
}
