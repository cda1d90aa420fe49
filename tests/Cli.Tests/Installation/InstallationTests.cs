using VoicePlatform.AppHost.Platform;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Installation;

/// <summary>The two ways to run vp in docs/cli.md: packed and installed as a global tool, and <c>dotnet run</c> in place.</summary>
[Collection(CliCollection.Name)]
public sealed class InstallationTests(CliPlatform platform) : IDisposable
{
    private readonly string _home = TestDirectories.Create("vp-home");

    [Fact]
    public async Task Packed_and_installed_as_a_global_tool_vp_runs()
    {
        var repository = PlatformOptions.FindRepositoryRoot();
        var feed = Path.Combine(_home, ".nupkg");
        // A home of its own, so the global install touches nothing of the machine's; the package cache stays shared.
        var environment = new Dictionary<string, string?>(platform.TenantEnvironment)
        {
            ["HOME"] = _home,
            ["DOTNET_CLI_HOME"] = _home,
            ["NUGET_PACKAGES"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };

        var pack = await Shell.RunAsync(repository, environment, "dotnet", "pack", "src/Cli", "-o", feed);
        var install = await Shell.RunAsync(repository, environment, "dotnet", "tool", "install", "--global", "--add-source", feed, "VoicePlatform.Cli");
        var models = await Shell.RunAsync(_home, environment, Path.Combine(_home, ".dotnet", "tools", "vp"), "models");

        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(models.ExitCode == 0, models.ToString());
        Assert.Contains("gpt-realtime-2", models.Stdout);
    }

    [Fact]
    public async Task Dotnet_run_in_the_repository_runs_vp()
    {
        var result = await Shell.RunAsync(PlatformOptions.FindRepositoryRoot(), platform.TenantEnvironment,
            "dotnet", "run", "--project", "src/Cli", "--", "models");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("gemini-3.1-flash-live", result.Stdout);
    }

    public void Dispose() => TestDirectories.TryDelete(_home);
}
