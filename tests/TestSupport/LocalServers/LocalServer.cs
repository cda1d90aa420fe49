using System.Diagnostics;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>
/// A throwaway server from the machine's binaries for service tests (<see cref="BackingServices"/>, benchmarks): one or
/// more child processes plus a health probe. Not restarted: a server that dies fails the tests that need it.
/// </summary>
public abstract class LocalServer : IAsyncDisposable
{
    private readonly List<ManagedProcess> _processes = [];
    private volatile string? _exitedDuringStartup;

    protected LocalServer(string name, ILogSink sink)
    {
        Name = name;
        Sink = sink;
    }

    public string Name { get; }

    protected ILogSink Sink { get; }

    /// <summary>How long start-up may take.</summary>
    public virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    /// <summary>One-time preparation before processes start (initdb, config files).</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The processes, in start order.</summary>
    protected abstract IEnumerable<ProcessSpec> ProcessSpecs();

    public abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    public IEnumerable<int> ProcessIds => _processes.Select(p => p.ProcessId).OfType<int>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        foreach (var spec in ProcessSpecs())
        {
            var process = new ManagedProcess(spec, Sink);
            process.UnexpectedExit += (p, code) =>
            {
                _exitedDuringStartup ??= $"{p.Name} exited with code {code}";
                Sink.Line(Name, $"{p.Name} exited unexpectedly with code {code}", isError: true);
            };
            _processes.Add(process);
            process.Start();
            await AfterProcessStartedAsync(spec, cancellationToken);
        }
        await WaitHealthyAsync(cancellationToken);
    }

    /// <summary>Hook between processes of one server (RabbitMQ waits for its epmd).</summary>
    protected virtual Task AfterProcessStartedAsync(ProcessSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_exitedDuringStartup is { } exit)
                throw new InvalidOperationException($"{Name} failed during start-up ({exit}):{Environment.NewLine}{string.Join(Environment.NewLine, LastLines())}");
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

    public async Task StopAsync()
    {
        // Reverse order: RabbitMQ before its epmd.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].StopAsync(StopGracePeriod);
        }
    }

    protected virtual TimeSpan StopGracePeriod => TimeSpan.FromSeconds(15);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }
}
