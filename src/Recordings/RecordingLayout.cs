using System.Globalization;

namespace VoicePlatform.Recordings;

/// <summary>
/// Object keys of one recording. Everything lives under one prefix, by default
/// <c>recordings/{tenant}/{session}/</c>:
/// <list type="bullet">
/// <item><c>manifest.json</c> — format (rate, channels, bits, frames per part); written before the first part,
/// rewritten with size, duration and checksum on completion.</item>
/// <item><c>part-00001.pcm</c>, <c>part-00002.pcm</c>, … — raw interleaved stereo PCM16 LE, each exactly
/// <see cref="RecordingManifest.PartFrames"/> frames except the last. Headerless, so they concatenate.</item>
/// <item><c>recording.wav</c> — the final WAV: a 44-byte header followed by the parts in order.</item>
/// </list>
/// </summary>
public static class RecordingLayout
{
    public const string ManifestName = "manifest.json";
    public const string WavName = "recording.wav";
    private const string PartPrefix = "part-";
    private const string PartSuffix = ".pcm";

    /// <summary><c>recordings/{tenantId}/{sessionId}/</c>; each id must be a valid single key segment.</summary>
    public static string SessionPrefix(string tenantId, string sessionId)
    {
        if (!RecordingObjectKey.IsValid(tenantId) || tenantId.Contains('/'))
            throw new ArgumentException($"Tenant id '{tenantId}' cannot be used in a recording key.", nameof(tenantId));
        if (!RecordingObjectKey.IsValid(sessionId) || sessionId.Contains('/'))
            throw new ArgumentException($"Session id '{sessionId}' cannot be used in a recording key.", nameof(sessionId));
        return $"recordings/{tenantId}/{sessionId}/";
    }

    public static string ManifestKey(string prefix) => prefix + ManifestName;
    public static string WavKey(string prefix) => prefix + WavName;
    public static string PartKey(string prefix, int number) => prefix + PartPrefix + number.ToString("D5", CultureInfo.InvariantCulture) + PartSuffix;
    internal static string PartListingPrefix(string prefix) => prefix + PartPrefix;

    /// <summary>The part number of a key produced by <see cref="PartKey"/> (numbers past 99999 just grow wider).</summary>
    public static bool TryParsePartNumber(string prefix, string key, out int number)
    {
        number = 0;
        if (!key.StartsWith(prefix + PartPrefix, StringComparison.Ordinal) || !key.EndsWith(PartSuffix, StringComparison.Ordinal))
            return false;
        var digits = key.AsSpan(prefix.Length + PartPrefix.Length, key.Length - prefix.Length - PartPrefix.Length - PartSuffix.Length);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    internal static void ValidatePrefix(string prefix)
    {
        if (!prefix.EndsWith('/') || !RecordingObjectKey.IsValid(prefix[..^1]))
            throw new ArgumentException($"Recording prefix '{prefix}' must be a valid key ending with '/'.", nameof(prefix));
    }
}
