using System.Diagnostics;
using System.Text.Json;

namespace VoicePlatform.Bench.BackingLoadBenchmark;

/// <summary>What the benchmark needs from AppHost's endpoints.json.</summary>
public sealed record PlatformEndpoints(string Gateway, string ApiKey, string Redis, string RabbitMq, string Postgres);

/// <summary>
/// AppHost (Release build) as a child process with its own state directory and free ports, output in a log file;
/// stopped with SIGTERM (it stops its children in order). The same approach as the relay and continuity benchmarks.
/// </summary>
public sealed class AppHostChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppHostChild(Process process, StreamWriter log, string stateDirectory, string logPath)
    {
        _process = process;
        _log = log;
        StateDirectory = stateDirectory;
        LogPath = logPath;
    }

    public string StateDirectory { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public static async Task<AppHostChild> StartAsync(string root)
    {
        var dll = Path.Combine(root, "AppHost", "bin", "Release", "net10.0", "VoicePlatform.AppHost.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} missing: dotnet build AppHost -c Release");
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var state = Path.Combine(Path.GetTempPath(), $"backingbench-{Environment.ProcessId}-{stamp}");
        Directory.CreateDirectory(state);
        var logPath = Path.Combine(Path.GetTempPath(), $"backingbench-apphost-{stamp}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var argument in new[] { dll, "--state-dir", state, "--gateway-port", "0", "--gateway-tls-port", "0" }) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new AppHostChild(process, log, state, logPath);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(state, "endpoints.json")))
        {
            if (process.HasExited) throw new InvalidOperationException($"AppHost exited ({process.ExitCode}); see {logPath}");
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                await host.DisposeAsync();
                throw new TimeoutException($"AppHost not ready in 5 minutes; see {logPath}");
            }
            await Task.Delay(250);
        }
        await Task.Delay(500); // endpoints.json is written whole, but give the file system a moment
        Console.WriteLine($"AppHost ready in {clock.Elapsed.TotalSeconds:0.0} s (log {logPath})");
        return host;
    }

    public PlatformEndpoints Endpoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDirectory, "endpoints.json")));
        var root = document.RootElement;
        var connections = root.GetProperty("connectionStrings");
        return new PlatformEndpoints(root.GetProperty("gateway").GetString()!, root.GetProperty("devApiKey").GetString()!,
            connections.GetProperty("redis").GetString()!, connections.GetProperty("rabbitmq").GetString()!,
            connections.GetProperty("postgres").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        lock (_log) _log.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a temporary directory; the next reboot clears it
        }
    }
}
