using System.Diagnostics;

namespace VoicePlatform.Infra.Tests.Rendering;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize</c> (offline: nothing is fetched). kubectl is part of this
/// project's machine image; where it is missing the tests fail with a message saying so rather than skipping, so that
/// a CI machine without it can never pass them silently.
/// </summary>
public static class Kustomize
{
    public static string Render(string directory)
    {
        var kubectl = FindKubectl() ?? throw new InvalidOperationException(
            "kubectl is not on PATH: the manifest tests render infra/k8s with `kubectl kustomize` (kubectl >= 1.27, " +
            "kustomize >= 5). Install kubectl (it is on this project's machine image) and run the tests again.");
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish in 2 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    private static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(File.Exists);
}
