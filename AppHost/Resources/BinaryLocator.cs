namespace VoicePlatform.AppHost.Resources;

/// <summary>Finds backing-service binaries on PATH or where their Debian packages put them.</summary>
public static class BinaryLocator
{
    public static string Find(string binary, string debianPackage, params string[] debianDirectories)
    {
        foreach (var directory in debianDirectories.SelectMany(ExpandVersionedDirectory))
        {
            var candidate = Path.Combine(directory, binary);
            if (File.Exists(candidate)) return candidate;
        }
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, binary);
            if (File.Exists(candidate)) return candidate;
        }
        throw new MissingPrerequisiteException(
            $"'{binary}' was not found on PATH or in {string.Join(", ", debianDirectories)}. " +
            $"Install the Debian package '{debianPackage}' (sudo apt-get install -y {debianPackage}), or run scripts/bootstrap.sh.");
    }

    /// <summary>"/usr/lib/postgresql/*/bin" means every installed version, newest first.</summary>
    private static IEnumerable<string> ExpandVersionedDirectory(string pattern)
    {
        var star = pattern.IndexOf('*');
        if (star < 0) return [pattern];
        var parent = pattern[..star].TrimEnd('/');
        var suffix = pattern[(star + 1)..].TrimStart('/');
        if (!Directory.Exists(parent)) return [];
        return Directory.GetDirectories(parent)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, suffix));
    }
}
