using System.Globalization;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>
/// The benchmark stamps each line of AppHost's output with the UTC time of day it arrived (<c>HH:mm:ss.fff</c>); a
/// service's line forwarded by AppHost (<c>VOICEPLATFORM_RESOURCE_LOGS=1</c>: <c>  12: 2026-12-07T02:38:17.1030000Z
/// message</c>) carries the time the service wrote it, which is used instead. Runs may cross midnight.
/// </summary>
public static partial class AppHostLogTime
{
    /// <summary>Every stamped line of AppHost's log (it may still be being written), with its time of day.</summary>
    public static IEnumerable<(TimeSpan At, string Line)> StampedLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!TryParse(line, out var at)) continue;
            if (ResourceLineTime().Match(line) is { Success: true } written
                && TimeSpan.TryParseExact(written.Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var writtenAt))
                at = writtenAt;
            yield return (at, line);
        }
    }

    public static bool TryParse(string line, out TimeSpan at)
    {
        at = default;
        return line.Length >= 12 && TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out at);
    }

    /// <summary>The time of day <paramref name="at"/> on the date that puts it nearest <paramref name="reference"/>.</summary>
    public static DateTime Near(DateTime reference, TimeSpan at)
    {
        var when = reference.Date + at;
        if (when - reference > TimeSpan.FromHours(12)) return when.AddDays(-1);
        if (reference - when > TimeSpan.FromHours(12)) return when.AddDays(1);
        return when;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\S+ +\d+: \d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d\.\d{3})\d*Z ")]
    private static partial System.Text.RegularExpressions.Regex ResourceLineTime();
}
