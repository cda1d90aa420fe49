using System.Globalization;

namespace VoicePlatform.Bench.InsightsBenchmark;

/// <summary>Machine-wide CPU time from /proc/stat: the busy share over an interval (all cores; 1.0 = every core busy).</summary>
public sealed class MachineCpu
{
    private readonly (long Busy, long Total) _start = Read();

    public double BusyShare()
    {
        var now = Read();
        var total = now.Total - _start.Total;
        return total == 0 ? 0 : (double)(now.Busy - _start.Busy) / total;
    }

    private static (long Busy, long Total) Read()
    {
        var values = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        return (total - values[3] - values[4], total);
    }
}
