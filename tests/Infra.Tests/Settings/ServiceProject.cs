using System.Xml.Linq;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests.Settings;

/// <summary>
/// A service's project, found from the image a Deployment runs: the project whose <c>ContainerRepository</c> is that
/// image's repository (the same property <c>dotnet publish -t:PublishContainer</c> names the image with).
/// </summary>
public sealed record ServiceProject(string Directory, string AssemblyName)
{
    public static IReadOnlyList<(string Repository, ServiceProject Project)> All { get; } = Discover();

    public static ServiceProject ForImage(string image)
    {
        var repository = image.Split('@')[0];
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/')) repository = repository[..colon];
        var match = All.Where(p => p.Repository == repository).Select(p => p.Project).ToList();
        return match.Count == 1 ? match[0]
            : throw new InvalidOperationException($"no project under src/ has <ContainerRepository>{repository}</ContainerRepository> (image {image})");
    }

    /// <summary>The project's build output (the configuration the tests were built with).</summary>
    public string OutputDirectory => Path.Combine(Directory, "bin", RepositoryPaths.Configuration, "net10.0");

    /// <summary>The project's own C# sources (not bin/obj).</summary>
    public IEnumerable<string> SourceFiles =>
        System.IO.Directory.EnumerateFiles(Directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public string Source => string.Join("\n", SourceFiles.Select(File.ReadAllText));

    private static List<(string, ServiceProject)> Discover()
    {
        var projects = new List<(string, ServiceProject)>();
        foreach (var csproj in System.IO.Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var document = XDocument.Load(csproj);
            var repository = document.Descendants("ContainerRepository").Select(e => e.Value.Trim()).FirstOrDefault();
            if (string.IsNullOrEmpty(repository)) continue;
            var assembly = document.Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault()
                ?? Path.GetFileNameWithoutExtension(csproj);
            projects.Add((repository, new ServiceProject(Path.GetDirectoryName(csproj)!, assembly)));
        }
        return projects;
    }
}
