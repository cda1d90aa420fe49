using System.Reflection;

namespace VoicePlatform.AppHost.Platform;

/// <summary>Where the repository and its build outputs are (AppHost runs the services from their build output).</summary>
public static class PlatformOptions
{
    /// <summary>The build configuration AppHost itself was built with, whose service outputs it runs.</summary>
    public static string BuildConfiguration =>
        typeof(PlatformOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The directory holding VoicePlatform.sln, searched upwards from <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        var directory = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoicePlatform.sln"))) return directory.FullName;
            directory = directory.Parent;
        }
        throw new InvalidOperationException($"VoicePlatform.sln not found above {start ?? AppContext.BaseDirectory}");
    }
}
