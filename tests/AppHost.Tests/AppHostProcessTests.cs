using System.Diagnostics;
using System.Text.Json;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.AppHost.Tests;

/// <summary>The real AppHost program, as a developer runs it: start-up, endpoints.json, Ctrl-C, restart with the same key.</summary>
public class AppHostProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Starts_healthy_stops_on_ctrl_c_without_orphans_and_keeps_the_dev_key_across_runs()
    {
        var stateDirectory = TestDirectories.Create("apphost");
        try
        {
            var first = await RunUntilReadyAsync(stateDirectory);
            var firstKey = first.Endpoints.GetProperty("devApiKey").GetString();
            Assert.StartsWith("vpk_", firstKey);
            using (var http = new HttpClient())
            {
                // Health is on the Gateway's management port, which endpoints.json lists.
                var gateway = first.Endpoints.GetProperty("management").GetProperty("gateway").GetString();
                using var health = await http.GetAsync($"{gateway}/health");
                Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
            }
            using (var browserless = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
            {
                // The printed console link signs the development tenant in (a redirect to the Overview with the cookie).
                using var signIn = await browserless.GetAsync(first.Endpoints.GetProperty("consoleSignIn").GetString());
                Assert.Equal("/", signIn.Headers.Location?.OriginalString);
                Assert.StartsWith(first.Endpoints.GetProperty("console").GetString()!, first.Endpoints.GetProperty("consoleSignIn").GetString());
            }
            Assert.True(first.Children.Count >= 10, $"expected every resource as a child process, saw {first.Children.Count}");

            await StopAsync(first.Process, PosixSignals.SIGINT);
            Assert.Equal(0, first.Process.ExitCode);
            var survivors = first.Children.Where(pid => Directory.Exists($"/proc/{pid}") && !IsZombie(pid)).ToList();
            Assert.True(survivors.Count == 0, $"processes left behind: {string.Join(", ", survivors.Select(Describe))}");

            var second = await RunUntilReadyAsync(stateDirectory);
            Assert.Equal(firstKey, second.Endpoints.GetProperty("devApiKey").GetString());
            await StopAsync(second.Process, PosixSignals.SIGTERM);
            Assert.Equal(0, second.Process.ExitCode);
        }
        finally
        {
            TestDirectories.TryDelete(stateDirectory);
        }
    }

    private sealed record RunningAppHost(Process Process, JsonElement Endpoints, List<int> Children);

    private async Task<RunningAppHost> RunUntilReadyAsync(string stateDirectory)
    {
        var root = PlatformOptions.FindRepositoryRoot();
        var appHost = Path.Combine(root, "AppHost", "bin", PlatformOptions.BuildConfiguration, "net10.0", "VoicePlatform.AppHost.dll");
        var endpointsFile = Path.Combine(stateDirectory, "endpoints.json");
        File.Delete(endpointsFile);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { appHost, "--gateway-port", FreePorts.Next().ToString(), "--gateway-tls-port", FreePorts.Next().ToString(), "--state-dir", stateDirectory })
            info.ArgumentList.Add(argument);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.Add(e.Data);
            if (e.Data.Contains("Press Ctrl-C")) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (finished != ready.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            lock (log) Assert.Fail($"AppHost did not become ready:{Environment.NewLine}{string.Join(Environment.NewLine, log.TakeLast(60))}");
        }
        output.WriteLine($"AppHost ready in {stopwatch.Elapsed.TotalSeconds:0.0}s");
        Assert.True(File.Exists(endpointsFile));
        var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile)).RootElement;
        return new RunningAppHost(process, endpoints, ChildrenOf(process.Id));
    }

    private static async Task StopAsync(Process process, int signal)
    {
        Assert.True(PosixSignals.Send(process.Id, signal));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    private static List<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent)
            .ToList();

    private static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:"));
            return line is null ? -1 : int.Parse(line["PPid:".Length..].Trim());
        }
        catch (IOException) { return -1; }
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:") && l.Contains('Z')); }
        catch (IOException) { return true; }
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}"; }
        catch (IOException) { return pid.ToString(); }
    }
}
