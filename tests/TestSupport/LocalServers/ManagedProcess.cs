using VoicePlatform.AppHost.Processes;
using System.Diagnostics;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>
/// One child process: started with its log lines streamed to a sink (and the last ones kept for crash reports),
/// stopped gracefully with its own stop signal, then killed with its whole process tree if it does not exit in time.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly ProcessSpec _spec;
    private readonly ILogSink _sink;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private volatile bool _stopping;

    public ManagedProcess(ProcessSpec spec, ILogSink sink)
    {
        _spec = spec;
        _sink = sink;
    }

    public string Name => _spec.Name;

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Raised when the process exits without being asked to (argument: exit code).</summary>
    public event Action<ManagedProcess, int>? UnexpectedExit;

    public void Start()
    {
        _stopping = false;
        var (fileName, arguments) = ProcessLauncher.Wrap(_spec.FileName, _spec.Arguments, _spec.RunAsUser);

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // Children inherit our environment (so SOME__SETTING=value configures them); the spec's values win.
        foreach (var (key, value) in _spec.Environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
        process.Exited += (_, _) =>
        {
            if (_stopping) return;
            var code = SafeExitCode(process);
            UnexpectedExit?.Invoke(this, code);
        };
        ProcessLauncher.Start(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public IReadOnlyList<string> LastLines()
    {
        lock (_gate) return _lastLines.ToArray();
    }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        _stopping = true;
        var process = _process;
        if (process is null || process.HasExited) return;
        PosixSignals.Send(process.Id, _spec.StopSignal);
        using var timeout = new CancellationTokenSource(gracePeriod);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _sink.Line(_spec.Name, $"did not stop within {gracePeriod.TotalSeconds:0}s; killing it", isError: true);
        }
        // Also reaps grandchildren (Erlang helpers, a dotnet host's children) that a graceful stop left behind.
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        // Bounded: WaitForExit also waits for the end of the output pipes, which a stray grandchild could hold open.
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await process.WaitForExitAsync(drained.Token); } catch (OperationCanceledException) { }
    }

    /// <summary>Kills the process tree at once (for throwaway test servers when the test process is exiting).</summary>
    public void Kill()
    {
        _stopping = true;
        try { _process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process?.Dispose();
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null) return;
        lock (_gate)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > KeptLines) _lastLines.Dequeue();
        }
        _sink.Line(_spec.Name, line, isError && LooksLikeError(line));
    }

    // Many servers (Erlang, PostgreSQL) log everything to stderr; colour only what reads like a problem.
    private static bool LooksLikeError(string line) =>
        line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)
        || line.Contains("fatal", StringComparison.OrdinalIgnoreCase) || line.Contains("exception", StringComparison.OrdinalIgnoreCase);

    private static int SafeExitCode(Process process)
    {
        try { return process.ExitCode; } catch (InvalidOperationException) { return -1; }
    }
}
