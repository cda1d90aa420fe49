using System.Diagnostics;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>Runs a program (dotnet pack, dotnet tool install, an installed vp) as docs/cli.md's commands do.</summary>
public static class Shell
{
    public static async Task<VpResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 5 minutes");
        }
        return new VpResult(process.ExitCode, await stdout, await stderr);
    }
}
