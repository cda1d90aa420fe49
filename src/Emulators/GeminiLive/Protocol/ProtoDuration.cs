using System.Globalization;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>proto3 JSON Duration: seconds with 0, 3, 6 or 9 fractional digits and an "s" suffix.</summary>
internal static class ProtoDuration
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        var seconds = (long)Math.Floor(value.TotalSeconds);
        var nanos = (value.Ticks - seconds * TimeSpan.TicksPerSecond) * 100;
        if (nanos == 0)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        var fraction = digits switch { 3 => nanos / 1_000_000, 6 => nanos / 1_000, _ => nanos };
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{fraction.ToString("D" + digits, CultureInfo.InvariantCulture)}s");
    }
}
