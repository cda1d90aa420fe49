using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>
/// AppHost run as a child process (<c>dotnet AppHost/bin/&lt;config&gt;/net10.0/VoicePlatform.AppHost.dll</c>) with its
/// own state directory and free ports; its output goes to a log file. Stopped with SIGTERM (it then stops its children
/// in order; they also die with it if it is killed).
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LogFile _log;
    private readonly bool _removeState;

    private AppHostProcess(Process process, LogFile log, string stateDirectory, string logPath, bool removeState)
    {
        _process = process;
        _log = log;
        StateDirectory = stateDirectory;
        LogPath = logPath;
        _removeState = removeState;
    }

    public string StateDirectory { get; }
    public string LogPath { get; }
    public string EndpointsFile => Path.Combine(StateDirectory, "endpoints.json");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "VoicePlatform.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("VoicePlatform.sln not found above the benchmark or the current directory.");
    }

    public static string OwnConfiguration =>
        typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static async Task<AppHostProcess> StartAsync(Options options, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        var configuration = options.AppHostConfiguration ?? OwnConfiguration;
        var dll = Path.Combine(root, "AppHost", "bin", configuration, "net10.0", "VoicePlatform.AppHost.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist. Build it first: dotnet build AppHost -c {configuration}");
        }
        var removeState = options.StateDirectory is null;
        var state = Path.GetFullPath(options.StateDirectory ?? Path.Combine(Path.GetTempPath(), $"relaybench-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}"));
        Directory.CreateDirectory(state);
        File.Delete(Path.Combine(state, "endpoints.json"));
        var logPath = Path.Combine(Path.GetTempPath(), $"relaybench-apphost-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        var log = new LogFile(logPath);

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var a in new[] { dll, "--state-dir", state, "--gateway-port", "0", "--gateway-tls-port", "0" }) info.ArgumentList.Add(a);
        if (options.RouterReplicas is { } replicas)
        {
            info.ArgumentList.Add("--router-replicas");
            info.ArgumentList.Add(replicas.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new AppHostProcess(process, log, state, logPath, removeState);

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(host.EndpointsFile))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"AppHost exited with code {process.ExitCode} before it was ready; see {logPath}:\n{Tail(logPath)}");
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(4))
            {
                await host.DisposeAsync();
                throw new TimeoutException($"AppHost was not ready after 4 minutes; see {logPath}");
            }
            await Task.Delay(250, cancellationToken);
        }
        await Task.Delay(200, cancellationToken); // the file is written in one call; let it land
        return host;
    }

    private static string Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(25));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15 /* SIGTERM */);
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
        _log.Close();
        _process.Dispose();
        if (_removeState)
        {
            try
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // postgres may leave files owned by another user; a temp dir is fine to leave behind.
            }
        }
    }
}

/// <summary>AppHost's output, line by line; lines that arrive after <see cref="Close"/> are dropped.</summary>
internal sealed class LogFile(string path)
{
    private readonly StreamWriter _writer = new(path) { AutoFlush = true };
    private bool _closed;

    public void Write(string? line)
    {
        if (line is null) return;
        lock (_writer)
        {
            if (!_closed) _writer.WriteLine(line);
        }
    }

    public void Close()
    {
        lock (_writer)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
