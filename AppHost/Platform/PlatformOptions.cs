using System.Reflection;
using VoicePlatform.AppHost.Processes;

namespace VoicePlatform.AppHost.Platform;

/// <summary>Where and how to run the platform. AppHost fills it from its command line; test fixtures from their needs.</summary>
public sealed class PlatformOptions
{
    public required string RepositoryRoot { get; init; }

    /// <summary>Data, certificates, keys and endpoints.json (AppHost: <c>.apphost/</c>; tests: a temporary directory).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Gateway HTTP port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; } = 5080;

    /// <summary>Gateway HTTPS port; 0 picks a free one.</summary>
    public int GatewayTlsPort { get; init; } = 5443;

    /// <summary>Router instances; the Gateway spreads sessions over them and re-attaches sessions when one dies.</summary>
    public int RouterReplicas { get; init; } = 2;

    /// <summary>Gateway replicas: the first on <see cref="GatewayPort"/>, the others (<c>gateway-2</c>…) on free ports.</summary>
    public int GatewayReplicas { get; init; } = 1;

    /// <summary>Build configuration whose outputs are run (the one AppHost itself was built with).</summary>
    public string Configuration { get; init; } = BuildConfiguration;

    public required ILogSink Sink { get; init; }

    /// <summary>Extra environment for every .NET child (tests use it to compress emulator time limits).</summary>
    public Dictionary<string, string?> Environment { get; init; } = new();

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
