using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>
/// A directory laid out like a checkout running AppHost: <c>.apphost/endpoints.json</c> (the booted platform's) at its
/// root and a nested working directory, so <c>vp</c> must search upward to find it.
/// </summary>
public sealed class LocalCheckout : IDisposable
{
    public LocalCheckout(CliPlatform platform)
    {
        Root = TestDirectories.Create("vp-checkout");
        Directory.CreateDirectory(Path.Combine(Root, ".apphost"));
        File.Copy(platform.EndpointsFilePath, Path.Combine(Root, ".apphost", "endpoints.json"));
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(Root, "some", "project")).FullName;
    }

    public string Root { get; }

    public string WorkingDirectory { get; }

    public void Dispose() => TestDirectories.TryDelete(Root);
}
