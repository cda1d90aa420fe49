using System.Globalization;
using System.Runtime.InteropServices;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>CPU time and resident memory of processes and of the machine, from /proc (Linux only).</summary>
public static partial class ProcStats
{
    private static readonly double ClockTicks = SysConf(2 /* _SC_CLK_TCK */) is > 0 and var t ? t : 100;

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>utime + stime of a process in seconds, or NaN if it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after "(comm)": state is [0]; utime and stime are fields 14 and 15 of the file, i.e. [11], [12].
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicks;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>RSS in MiB, or null without a pid or once the process is gone.</summary>
    public static double? Rss(int? pid) => pid is { } p && RssMiB(p) is var v && !double.IsNaN(v) ? v : null;

    /// <summary>Summed over replicas; null if there are none or one is gone.</summary>
    public static double? Rss(int[] pids) => pids.Length == 0 ? null : pids.Select(p => Rss(p)).Aggregate((double?)0, (a, b) => a + b);

    /// <summary>Resident set size in MiB (VmRSS), or NaN if the process is gone.</summary>
    public static double RssMiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        return double.NaN;
    }

    /// <summary>
    /// Machine-wide CPU seconds summed over all cores since boot, from /proc/stat: busy, total, and the interrupt share
    /// of busy (irq + softirq: loopback TCP delivery is largely softirq work, charged to no process).
    /// </summary>
    public static (double Busy, double Total, double Interrupts) MachineCpu()
    {
        var first = File.ReadLines("/proc/stat").First();
        var values = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + values[4]; // idle + iowait
        return ((total - idle) / ClockTicks, total / ClockTicks, (values[5] + values[6]) / ClockTicks);
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The process listening on a local TCP port (via the socket inode in /proc/net/tcp*), or null.</summary>
    public static int? PidListeningOn(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != "0A") continue; // 0A = LISTEN
                var local = f[1];
                if (int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{f[9]}]");
                }
            }
        }
        if (inodes.Count == 0) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && inodes.Contains(target)) return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    /// <summary>The processes whose command line contains <paramref name="fragment"/>.</summary>
    public static int[] PidsByCommandLine(string fragment)
    {
        var matches = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && CommandLine(pid).Contains(fragment, StringComparison.Ordinal))
            {
                matches.Add(pid);
            }
        }
        return [.. matches];
    }

    public static (int Cores, double MemoryGiB, string CpuModel) Machine()
    {
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        return (Environment.ProcessorCount, Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1), model);
    }
}
