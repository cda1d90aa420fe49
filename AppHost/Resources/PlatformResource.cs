using System.Diagnostics;
using VoicePlatform.AppHost.Processes;

namespace VoicePlatform.AppHost.Resources;

/// <summary>
/// A resource the orchestrator runs: one or more child processes plus a health probe.
/// A process that exits unexpectedly is reported and restarted once; if it fails again its last log lines are shown.
/// </summary>
public abstract class PlatformResource : IAsyncDisposable
{
    private readonly List<ManagedProcess> _processes = [];
    private readonly Dictionary<ManagedProcess, int> _restarts = [];
    private volatile ResourceState _state = ResourceState.NotStarted;
    private volatile bool _stopping;

    protected PlatformResource(string name, ILogSink sink)
    {
        Name = name;
        Sink = sink;
    }

    public string Name { get; }

    public ResourceState State => _state;

    /// <summary>How often a process that exits unexpectedly is restarted (1 by default; fault tests that kill repeatedly raise it).</summary>
    public int MaxRestarts { get; set; } = 1;

    protected ILogSink Sink { get; }

    /// <summary>What to show in the resource table.</summary>
    public abstract string DisplayAddress { get; }

    /// <summary>How long start-up may take before the resource counts as failed.</summary>
    public virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    /// <summary>Raised when the resource fails for good (restart did not help).</summary>
    public event Action<PlatformResource>? Failed;

    /// <summary>One-time preparation before processes start (initdb, config files).</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The processes, in start order.</summary>
    protected abstract IEnumerable<ProcessSpec> ProcessSpecs();

    public abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    /// <summary>Work to do once healthy the first time (create databases, ...).</summary>
    protected virtual Task OnHealthyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IEnumerable<int> ProcessIds => _processes.Select(p => p.ProcessId).OfType<int>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _state = ResourceState.Starting;
        await PrepareAsync(cancellationToken);
        foreach (var spec in ProcessSpecs())
        {
            var process = new ManagedProcess(spec, Sink);
            process.UnexpectedExit += OnUnexpectedExit;
            _processes.Add(process);
            process.Start();
            await AfterProcessStartedAsync(spec, cancellationToken);
        }
        await WaitHealthyAsync(cancellationToken);
        await OnHealthyAsync(cancellationToken);
        _state = ResourceState.Running;
    }

    /// <summary>Hook between processes of one resource (RabbitMQ waits for its epmd).</summary>
    protected virtual Task AfterProcessStartedAsync(ProcessSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_state == ResourceState.Failed)
                throw new InvalidOperationException($"{Name} failed during start-up:{Environment.NewLine}{string.Join(Environment.NewLine, LastLines())}");
            try
            {
                using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                probeTimeout.CancelAfter(TimeSpan.FromSeconds(3));
                if (await IsHealthyAsync(probeTimeout.Token)) return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Not up yet.
            }
            if (stopwatch.Elapsed > StartTimeout)
                throw new TimeoutException($"{Name} was not healthy within {StartTimeout.TotalSeconds:0}s. Last log lines:{Environment.NewLine}{string.Join(Environment.NewLine, LastLines())}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private IEnumerable<string> LastLines() => _processes.SelectMany(p => p.LastLines().Select(l => $"  {p.Name}| {l}"));

    private void OnUnexpectedExit(ManagedProcess process, int exitCode)
    {
        if (_stopping) return;
        _restarts.TryGetValue(process, out var restarts);
        if (restarts >= MaxRestarts || _state == ResourceState.Starting)
        {
            _state = ResourceState.Failed;
            Sink.Line(Name, $"{process.Name} exited with code {exitCode} and is not restarted again. Last log lines:", isError: true);
            foreach (var line in process.LastLines()) Sink.Line(Name, "  " + line, isError: true);
            Failed?.Invoke(this);
            return;
        }
        _restarts[process] = restarts + 1;
        _state = ResourceState.Restarting;
        Sink.Line(Name, $"{process.Name} exited unexpectedly with code {exitCode}; {(MaxRestarts == 1 ? "restarting it once" : $"restarting it ({restarts + 1} of {MaxRestarts})")}", isError: true);
        _ = Task.Run(async () =>
        {
            try
            {
                if (_stopping) return;
                process.Start();
                await WaitHealthyAsync(CancellationToken.None);
                _state = ResourceState.Running;
                Sink.Line(Name, "restarted and healthy again");
            }
            catch (Exception ex)
            {
                _state = ResourceState.Failed;
                Sink.Line(Name, $"restart failed: {ex.Message}", isError: true);
                Failed?.Invoke(this);
            }
        });
    }

    public async Task StopAsync()
    {
        _stopping = true;
        // Reverse order: RabbitMQ before its epmd.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].StopAsync(StopGracePeriod);
        }
        if (_state != ResourceState.Failed) _state = ResourceState.Stopped;
    }

    /// <summary>Kills every process at once, without a graceful shutdown.</summary>
    public void Kill()
    {
        _stopping = true;
        for (var i = _processes.Count - 1; i >= 0; i--) _processes[i].Kill();
        _state = ResourceState.Stopped;
    }

    protected virtual TimeSpan StopGracePeriod => TimeSpan.FromSeconds(15);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }
}
