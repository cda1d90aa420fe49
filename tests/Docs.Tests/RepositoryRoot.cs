namespace VoicePlatform.Docs.Tests;

/// <summary>The checkout the tests run from: the first folder upward from the test binaries holding VoicePlatform.sln.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoicePlatform.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("VoicePlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
