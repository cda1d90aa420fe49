using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace VoicePlatform.Bench.ContinuityBenchmark;

public sealed record Endpoints(string Gateway, string Key, Dictionary<string, string> RouterGrpc);

/// <summary>
/// AppHost (Release build) as a child process with its own state directory, free ports, extra environment (passed on
/// to its children) and its output in a log file; stopped with SIGTERM. Same approach as the relay benchmark's.
/// </summary>
public sealed partial class AppHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _state;

    private AppHost(Process p, StreamWriter log, string state, string logPath)
    {
        _process = p;
        _log = log;
        _state = state;
        LogPath = logPath;
    }

    public string LogPath { get; }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static async Task<AppHost> StartAsync(string root, int routerReplicas, Dictionary<string, string> env)
    {
        var dll = Path.Combine(root, "AppHost", "bin", "Release", "net10.0", "VoicePlatform.AppHost.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} missing: dotnet build AppHost -c Release");
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var state = Path.Combine(Path.GetTempPath(), $"contbench-{Environment.ProcessId}-{stamp}");
        Directory.CreateDirectory(state);
        var logPath = Path.Combine(Path.GetTempPath(), $"contbench-apphost-{stamp}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var a in new[] { dll, "--state-dir", state, "--gateway-port", "0", "--gateway-tls-port", "0", "--router-replicas", routerReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }
        // The services' logs are in AppHost's output only when it forwards them: the re-attach and switch lines are read from it.
        info.Environment["VOICEPLATFORM_RESOURCE_LOGS"] = "1";
        foreach (var (k, v) in env) info.Environment[k] = v;
        var p = new Process { StartInfo = info };
        // Arrival timestamps, to line the services' log lines up with the benchmark's kills.
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Data}"); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Data}"); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var host = new AppHost(p, log, state, logPath);
        var sw = Stopwatch.StartNew();
        var file = Path.Combine(state, "endpoints.json");
        while (!File.Exists(file))
        {
            if (p.HasExited) throw new InvalidOperationException($"AppHost exited ({p.ExitCode}); see {logPath}");
            if (sw.Elapsed > TimeSpan.FromMinutes(4)) { await host.DisposeAsync(); throw new TimeoutException($"AppHost not ready; see {logPath}"); }
            await Task.Delay(250);
        }
        await Task.Delay(300);
        Console.WriteLine($"AppHost ready in {sw.Elapsed.TotalSeconds:0.0} s");
        return host;
    }

    public Endpoints Endpoints()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_state, "endpoints.json")));
        var r = doc.RootElement;
        var routers = r.GetProperty("grpc").EnumerateObject()
            .Where(p => p.Name == "router" || p.Name.StartsWith("router-", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new Endpoints(r.GetProperty("gateway").GetString()!, r.GetProperty("devApiKey").GetString()!, routers);
    }

    /// <summary>Lines of AppHost's output (its children's logs, if it forwards them) containing <paramref name="text"/>.</summary>
    public int CountLog(string text)
    {
        lock (_log) _log.Flush();
        using var s = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(s);
        var n = 0;
        while (reader.ReadLine() is { } line) if (line.Contains(text, StringComparison.Ordinal)) n++;
        return n;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        lock (_log) _log.Dispose();
        _process.Dispose();
        try { Directory.Delete(_state, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* temp dir */ }
    }
}
