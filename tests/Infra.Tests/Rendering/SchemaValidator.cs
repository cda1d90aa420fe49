using System.Diagnostics;

namespace VoicePlatform.Infra.Tests.Rendering;

/// <summary>
/// Runs infra/validate/validate.mjs (npm kubernetes-models: the Kubernetes API's and our CRDs' OpenAPI schemas, so
/// types, enums, formats and required fields) over rendered YAML. Its packages are installed by scripts/test.sh
/// (<c>npm ci</c> in infra/validate), never at test time; where node or they are missing the test fails saying so.
/// </summary>
public static class SchemaValidator
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "infra", "validate");

    public static (int ExitCode, string Output) Validate(string yaml)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "kubernetes-models")))
            throw new InvalidOperationException($"kubernetes-models is not installed: run `npm ci` in {Directory} (scripts/test.sh does).");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("validate.mjs");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started (it must be on PATH)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("validate.mjs did not finish in a minute");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
