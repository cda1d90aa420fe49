using System.Diagnostics;
using System.Text.Json;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Resources;
using Xunit.Abstractions;

namespace VoicePlatform.AppHost.Tests.Running;

/// <summary>
/// The real AppHost program, started as a developer starts it (its build output, with options), on free ports — the
/// dashboard too, so it never meets a developer's AppHost — until it prints its summary.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly List<string> _output = [];

    private AppHostProcess(Process process) => Process = process;

    public Process Process { get; }

    public JsonElement Endpoints { get; private set; }

    /// <summary>The one-click dashboard login link from the summary.</summary>
    public string? DashboardLogin { get; private set; }

    public TimeSpan StartupTime { get; private set; }

    public string Output
    {
        get { lock (_output) return string.Join(Environment.NewLine, _output.TakeLast(150)); }
    }

    public static async Task<AppHostProcess> StartAsync(string stateDirectory, ITestOutputHelper log)
    {
        var root = PlatformOptions.FindRepositoryRoot();
        var appHost = Path.Combine(root, "AppHost", "bin", PlatformOptions.BuildConfiguration, "net10.0", "VoicePlatform.AppHost.dll");
        var endpointsFile = Path.Combine(stateDirectory, "endpoints.json");
        File.Delete(endpointsFile);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { appHost, "--gateway-port", FreePorts.Next().ToString(), "--gateway-tls-port", FreePorts.Next().ToString(), "--state-dir", stateDirectory })
            info.ArgumentList.Add(argument);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePorts.Next()}";
        info.Environment["VOICEPLATFORM_RESOURCE_LOGS"] = "1"; // resource logs in the output, shown when start-up fails

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new AppHostProcess(new Process { StartInfo = info });
        running.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (running._output) running._output.Add(e.Data);
            if (e.Data.StartsWith("Dashboard login:", StringComparison.Ordinal)) running.DashboardLogin = e.Data["Dashboard login:".Length..].Trim();
            if (e.Data.Contains("Press Ctrl-C", StringComparison.Ordinal)) ready.TrySetResult();
        };
        running.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (running._output) running._output.Add(e.Data); };
        var stopwatch = Stopwatch.StartNew();
        running.Process.Start();
        running.Process.BeginOutputReadLine();
        running.Process.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, running.Process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(4)));
        if (finished != ready.Task)
        {
            if (!running.Process.HasExited) running.Process.Kill(entireProcessTree: true);
            Assert.Fail($"AppHost did not become ready:{Environment.NewLine}{running.Output}");
        }
        running.StartupTime = stopwatch.Elapsed;
        log.WriteLine($"AppHost ready in {running.StartupTime.TotalSeconds:0.0}s");
        Assert.True(File.Exists(endpointsFile));
        running.Endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile)).RootElement;
        return running;
    }

    /// <summary>Every process AppHost runs: its own children (the dashboard), the orchestrator and all it started.</summary>
    public List<int> ProcessTree() =>
    [
        .. Running.ProcessTree.DescendantsOf(Process.Id),
        .. Running.ProcessTree.OrchestratorsOf(Process.Id).SelectMany(dcp => (IEnumerable<int>)[dcp, .. Running.ProcessTree.DescendantsOf(dcp)]),
    ];

    /// <summary>Sends <paramref name="signal"/> and waits for AppHost to exit.</summary>
    public async Task StopAsync(int signal)
    {
        Assert.True(VoicePlatform.AppHost.Processes.PosixSignals.Send(Process.Id, signal));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"AppHost did not exit within 90 s of signal {signal}{InheritedIgnore(signal)}; still running: "
                + string.Join(", ", ProcessTree().Where(Running.ProcessTree.IsAlive).Select(Running.ProcessTree.Describe))
                + $"{Environment.NewLine}{Output}");
        }
    }

    /// <summary>
    /// A signal this process ignores, AppHost ignores too (a disposition of "ignore" survives exec): a shell starting a
    /// background job without job control ignores SIGINT in it, so such a run of this test cannot pass.
    /// </summary>
    private static string InheritedIgnore(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var ignored = line is null ? 0 : Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (ignored & (1UL << (signal - 1))) != 0
            ? " (the test process ignores that signal, inherited from whatever started it, and so does AppHost: run the tests from a shell with job control, or reset the disposition)"
            : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            var tree = ProcessTree();
            Process.Kill(entireProcessTree: true);
            foreach (var pid in tree)
            {
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }
}
