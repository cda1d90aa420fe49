namespace VoicePlatform.TestSupport;

/// <summary>
/// Scratch directories for servers started by tests, under one root whose name also lets CI find and stop any server
/// a crashed test run left behind.
/// </summary>
public static class TestDirectories
{
    public const string RootName = "voiceplatform-tests";

    private const UnixFileMode WorldTraversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>A new directory, traversable by the unprivileged account PostgreSQL runs as when tests run as root.</summary>
    public static string Create(string purpose)
    {
        var root = Path.Combine(Path.GetTempPath(), RootName);
        Directory.CreateDirectory(root, WorldTraversable);
        File.SetUnixFileMode(root, WorldTraversable);
        SweepDirectoriesOfDeadRuns(root);
        var path = Path.Combine(root, $"{purpose}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path, WorldTraversable);
        return path;
    }

    /// <summary>
    /// Deletes directories left by test processes that are gone (their servers died with them) — unless
    /// VOICEPLATFORM_KEEP_TEST_STATE=1 asks to keep them for debugging (the platform logs of a failed run).
    /// </summary>
    private static void SweepDirectoriesOfDeadRuns(string root)
    {
        if (Environment.GetEnvironmentVariable("VOICEPLATFORM_KEEP_TEST_STATE") == "1") return;
        foreach (var directory in Directory.GetDirectories(root))
        {
            var parts = Path.GetFileName(directory).Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
                TryDelete(directory);
        }
    }

    public static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
