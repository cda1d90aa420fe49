using System.Text.RegularExpressions;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>
/// The Routers' Gemini rollover lines in AppHost's log (<c>HH:mm:ss.fff router-1 | Gemini session sess_…: switching to
/// connection #n (…)</c>): when each session moved to a new Gemini connection. AppHost stamps lines with UTC time of day.
/// </summary>
public sealed partial class RolloverSwitchLog
{
    private readonly Dictionary<string, List<TimeSpan>> _switches = new(StringComparer.Ordinal);

    public static RolloverSwitchLog Read(string path)
    {
        var log = new RolloverSwitchLog();
        foreach (var (at, line) in AppHostLogTime.StampedLines(path))
        {
            if (Switching().Match(line) is not { Success: true } m) continue;
            if (!log._switches.TryGetValue(m.Groups[1].Value, out var list)) log._switches[m.Groups[1].Value] = list = [];
            list.Add(at);
        }
        return log;
    }

    /// <summary>The session's switches as UTC times, on the date that puts each nearest <paramref name="reference"/>.</summary>
    public IReadOnlyList<DateTime> For(string sessionId, DateTime reference) =>
        _switches.TryGetValue(sessionId, out var list) ? list.Select(at => AppHostLogTime.Near(reference, at)).ToList() : [];

    [GeneratedRegex(@"(?:\||Z) +Gemini session (sess_\w+): switching to connection #\d+")]
    private static partial Regex Switching();
}
