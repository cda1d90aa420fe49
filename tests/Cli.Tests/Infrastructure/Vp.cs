using System.Diagnostics;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>Runs the built <c>vp</c> (<c>dotnet vp.dll …</c>) as a separate process, as a user or a script would.</summary>
public static class Vp
{
    private static readonly string[] ConfigurationVariables = ["VOICEPLATFORM_URL", "VOICEPLATFORM_API_KEY", "VOICEPLATFORM_OPERATOR_KEY"];

    /// <summary>vp.dll from the Cli project's output in the same configuration as these tests.</summary>
    public static string DllPath { get; } = Path.Combine(PlatformOptions.FindRepositoryRoot(), "src", "Cli", "bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "vp.dll");

    /// <summary>Runs vp in <paramref name="workingDirectory"/> (where it looks for .apphost/endpoints.json).</summary>
    public static async Task<VpResult> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vp {string.Join(' ', args)} did not finish within 2 minutes");
        }
        return new VpResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<VpResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        // Outside any checkout, so no .apphost/endpoints.json is found by accident.
        var directory = TestDirectories.Create("vp-cwd");
        try
        {
            return await RunInAsync(directory, environment, args);
        }
        finally
        {
            TestDirectories.TryDelete(directory);
        }
    }

    /// <summary>Starts vp with redirected output; the caller reads it, and kills and disposes the process.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        Assert.True(File.Exists(DllPath), $"vp is not built at {DllPath}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Only what the test gives: a developer's own VOICEPLATFORM_* settings must not leak in.
        foreach (var name in ConfigurationVariables) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
