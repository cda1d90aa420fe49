namespace VoicePlatform.Infra.Tests.Rendering;

/// <summary>Where the repository is, found upwards from the test's build output by VoicePlatform.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "infra", "k8s");

    /// <summary>The build configuration the tests were built with (bin/&lt;Configuration&gt;/net10.0), used to find the services' output.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoicePlatform.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"VoicePlatform.sln not found above {AppContext.BaseDirectory}");
    }
}
