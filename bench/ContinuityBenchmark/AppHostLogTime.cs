using System.Globalization;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>AppHost stamps each log line with the UTC time of day (<c>HH:mm:ss.fff</c>); runs may cross midnight.</summary>
public static class AppHostLogTime
{
    /// <summary>Every stamped line of AppHost's log (it may still be being written), with its time of day.</summary>
    public static IEnumerable<(TimeSpan At, string Line)> StampedLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (TryParse(line, out var at)) yield return (at, line);
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
}
