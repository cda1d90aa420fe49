using System.Globalization;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A time in a query string: Unix seconds or an RFC 3339 / ISO 8601 timestamp.</summary>
public static class TimeQuery
{
    public static bool TryParse(string? value, out long unixMs)
    {
        unixMs = 0;
        if (string.IsNullOrEmpty(value)) return true;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253_402_300_800)
        {
            unixMs = seconds * 1000;
            return true;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.ToUnixTimeMilliseconds() > 0)
        {
            unixMs = time.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }
}
