using System.Globalization;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

internal static class AudioMime
{
    public const string Output24k = "audio/pcm;rate=24000";

    /// <summary>Reads "rate=N" from e.g. "audio/pcm;rate=16000"; plain "audio/pcm" means 16 kHz.</summary>
    public static int ParseRate(string mimeType, int fallback)
    {
        foreach (var part in mimeType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("rate=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rate))
            {
                return rate;
            }
        }

        return fallback;
    }
}
