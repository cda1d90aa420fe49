namespace VoicePlatform.AppHost.Tests.Running;

/// <summary>Process relationships read from /proc.</summary>
public static class ProcessTree
{
    /// <summary><paramref name="root"/>'s descendants (children, their children, …), not <paramref name="root"/> itself.</summary>
    public static List<int> DescendantsOf(int root)
    {
        var parents = AllProcesses().ToDictionary(pid => pid, ParentOf);
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    /// <summary>
    /// Aspire's orchestrator (DCP) runs detached from the app host and watches it with <c>--monitor {pid}</c>; the
    /// resources are its descendants.
    /// </summary>
    public static List<int> OrchestratorsOf(int appHost) =>
        AllProcesses().Where(pid => CommandLine(pid) is { } command && command.Contains("dcp") && command.Contains($"--monitor {appHost} ")).ToList();

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    public static string Describe(int pid) => $"{pid} {CommandLine(pid) ?? "(gone)"}";

    private static IEnumerable<int> AllProcesses() =>
        Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0);

    private static string? CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? -1 : int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z')); }
        catch (IOException) { return true; }
    }
}
