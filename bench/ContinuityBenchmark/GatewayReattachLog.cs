using System.Globalization;
using System.Text.RegularExpressions;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>
/// The Gateway's re-attach lines in AppHost's log (<c>Session sess_… re-attaching to a Router</c>, forwarded by AppHost, see <see cref="AppHostLogTime"/>
/// and <c>Session sess_…: audio flowing again N ms after the Router stream broke</c>): which sessions a kill moved, and
/// the Gateway's own measure of each move. AppHost stamps lines with UTC time of day.
/// </summary>
public sealed partial class GatewayReattachLog
{
    private readonly List<(TimeSpan At, string Session)> _reattaching = [];
    private readonly List<(TimeSpan At, string Session, int Ms)> _flowing = [];

    public static GatewayReattachLog Read(string path)
    {
        var log = new GatewayReattachLog();
        foreach (var (at, line) in AppHostLogTime.StampedLines(path))
        {
            if (Reattaching().Match(line) is { Success: true } r) log._reattaching.Add((at, r.Groups[1].Value));
            else if (Flowing().Match(line) is { Success: true } f) log._flowing.Add((at, f.Groups[1].Value, int.Parse(f.Groups[2].Value, CultureInfo.InvariantCulture)));
        }
        return log;
    }

    /// <summary>Sessions that started re-attaching in [from, to), with the Gateway's time to their first audio (null if none logged).</summary>
    public Dictionary<string, int?> MovedBetween(DateTime from, DateTime to)
    {
        var moved = new Dictionary<string, int?>();
        foreach (var (at, session) in _reattaching)
        {
            var when = AppHostLogTime.Near(from, at);
            if (when >= from.AddMilliseconds(-50) && when < to) moved.TryAdd(session, null);
        }
        foreach (var (at, session, ms) in _flowing)
        {
            var when = AppHostLogTime.Near(from, at);
            if (when >= from && when < to + TimeSpan.FromSeconds(5) && moved.TryGetValue(session, out var existing) && existing is null) moved[session] = ms;
        }
        return moved;
    }

    [GeneratedRegex(@"(?:\||Z) +Session (sess_\w+) re-attaching to a Router")]
    private static partial Regex Reattaching();

    [GeneratedRegex(@"(?:\||Z) +Session (sess_\w+): audio flowing again (\d+) ms")]
    private static partial Regex Flowing();
}
