using System.Diagnostics;
using k8s.Models;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.TestSupport.LocalServers;
using VoicePlatform.AppHost.Resources;
using VoicePlatform.Infra.Tests.Rendering;
using VoicePlatform.Infra.Tests.Settings;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// One pod of a rendered Deployment as a process: its (single) container's image mapped to the project that builds it
/// (<see cref="ServiceProject.ForImage"/>; the image's entrypoint runs that project's published dll, so with no
/// <c>command</c>/<c>args</c> in the Deployment the process is <c>dotnet &lt;build output&gt;/&lt;assembly&gt;.dll</c> in
/// that directory, as the image runs <c>/app/&lt;assembly&gt;</c> in <c>/app</c>), exactly the environment the
/// Deployment gives it (<see cref="PodEnvironment"/>) plus what the image itself sets, its container ports on loopback
/// ports of its own. The kubelet's part: readiness probing (<see cref="Ready"/>) and termination
/// (<see cref="TerminateAsync"/>: endpoints removed, <c>preStop</c>, SIGTERM, SIGKILL at the grace period).
/// </summary>
public sealed class SimulatedPod : IAsyncDisposable
{
    /// <summary>Probe periods are kept in proportion but run this much faster, so readiness changes are seen sooner.</summary>
    public const double ProbePeriodScale = 0.2;

    private readonly Process _process;
    private readonly CancellationTokenSource _probing = new();
    private readonly StreamWriter _log;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly string _temporaryDirectory;
    private int _consecutiveReadinessFailures;

    private SimulatedPod(string name, V1Deployment deployment, V1Container container, IReadOnlyDictionary<int, int> ports,
        PodEnvironment environment, string logPath)
    {
        Name = name;
        Deployment = deployment;
        Container = container;
        Ports = ports;
        Environment = environment;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
        var project = ServiceProject.ForImage(container.Image);
        if (container.Command is { Count: > 0 } || container.Args is { Count: > 0 })
            throw new NotSupportedException($"{name}: the simulation maps only the image's own entrypoint to the project's dll");
        var dll = Path.Combine(project.OutputDirectory, project.AssemblyName + ".dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is not built (dotnet build the solution first)");
        var (fileName, arguments) = ProcessLauncher.Wrap("dotnet", [dll], runAs: null);
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = project.OutputDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // A container starts with the image's environment and the Deployment's, nothing of the host's.
        start.Environment.Clear();
        _temporaryDirectory = Directory.CreateTempSubdirectory($"voiceplatform-pod-{name}-").FullName;
        foreach (var (key, value) in ImageEnvironment(_temporaryDirectory)) start.Environment[key] = value;
        foreach (var (key, value) in environment.Variables) start.Environment[key] = value;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) WriteLog(e.Data); };
    }

    public string Name { get; }

    public V1Deployment Deployment { get; }

    public V1Container Container { get; }

    /// <summary>Container port → the loopback port this pod listens on.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; }

    public PodEnvironment Environment { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    /// <summary>The readiness probe's verdict (after its success/failure thresholds).</summary>
    public bool Ready { get; private set; }

    /// <summary>Set when termination starts: from then on no Service sends it a new connection.</summary>
    public bool Terminating { get; private set; }

    public bool Exited => _process.HasExited;

    public IDictionary<string, string> Labels => Deployment.Spec.Template.Metadata.Labels;

    public static SimulatedPod Create(string name, V1Deployment deployment, RenderedManifests manifests,
        IReadOnlyDictionary<string, int> serviceProxies, string logDirectory)
    {
        var container = deployment.Spec.Template.Spec.Containers.Single();
        var ports = (container.Ports ?? []).ToDictionary(p => p.ContainerPort, _ => FreePorts.Next());
        var environment = PodEnvironment.Resolve(container, manifests, ports, serviceProxies);
        return new SimulatedPod(name, deployment, container, ports, environment, Path.Combine(logDirectory, name + ".log"));
    }

    public void Start()
    {
        ProcessLauncher.Start(_process);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The loopback port of a probe's or Service's <c>port</c> (a container port's name or number).</summary>
    public int Port(IntOrString port)
    {
        var number = int.TryParse(port.Value, out var n) ? n
            : (Container.Ports ?? []).SingleOrDefault(p => p.Name == port.Value)?.ContainerPort
              ?? throw new InvalidOperationException($"{Name}: no container port named {port.Value}");
        return Ports[number];
    }

    /// <summary>GET a probe's path on its port; true on 2xx/3xx, as the kubelet counts it.</summary>
    public async Task<bool> ProbeAsync(V1Probe probe)
    {
        var get = probe.HttpGet ?? throw new NotSupportedException($"{Name}: only httpGet probes are simulated");
        try
        {
            using var response = await _http.GetAsync($"http://127.0.0.1:{Port(get.Port)}{get.Path}");
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for the startup probe within its budget (failureThreshold × periodSeconds), then keeps probing readiness.</summary>
    public async Task WaitStartedAsync()
    {
        var startup = Container.StartupProbe ?? Container.LivenessProbe;
        var budget = TimeSpan.FromSeconds((startup.FailureThreshold ?? 3) * (startup.PeriodSeconds ?? 10));
        var started = Stopwatch.StartNew();
        while (!await ProbeAsync(startup))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before its startup probe passed:\n{TailOfLog()}");
            if (started.Elapsed > budget) throw new TimeoutException($"{Name}: startup probe {startup.HttpGet.Path} failed for {budget}:\n{TailOfLog()}");
            await Task.Delay(PeriodOf(startup));
        }
        _ = ProbeReadinessAsync();
    }

    private async Task ProbeReadinessAsync()
    {
        var readiness = Container.ReadinessProbe;
        while (!_probing.IsCancellationRequested && !_process.HasExited)
        {
            if (await ProbeAsync(readiness))
            {
                _consecutiveReadinessFailures = 0;
                Ready = true;
            }
            else if (++_consecutiveReadinessFailures >= (readiness.FailureThreshold ?? 3))
            {
                Ready = false;
            }
            try
            {
                await Task.Delay(PeriodOf(readiness), _probing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        Ready = false;
    }

    /// <summary>
    /// What the kubelet does to a pod being deleted: it leaves the Services' endpoints at once, its <c>preStop</c> runs
    /// (the <c>sleep</c> action: that many seconds), then SIGTERM; SIGKILL if the process is still there when
    /// <c>terminationGracePeriodSeconds</c> (counted from the start, preStop included) runs out.
    /// </summary>
    public async Task<PodTermination> TerminateAsync()
    {
        var clock = Stopwatch.StartNew();
        Terminating = true;
        var grace = TimeSpan.FromSeconds(Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30);
        var preStop = Container.Lifecycle?.PreStop;
        // The hook runs within the grace period: one longer than it is cut short by the SIGTERM and the SIGKILL.
        if (preStop?.Sleep is { } sleep) await Task.Delay(TimeSpan.FromSeconds(Math.Min(sleep.Seconds, grace.TotalSeconds)));
        else if (preStop is not null) throw new NotSupportedException($"{Name}: only the preStop sleep action is simulated");
        var preStopTook = clock.Elapsed;
        PosixSignals.Send(_process.Id, PosixSignals.SIGTERM);
        var remaining = grace - clock.Elapsed;
        using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var killed = false;
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            PosixSignals.Send(_process.Id, PosixSignals.SIGKILL);
            await _process.WaitForExitAsync();
        }
        await _probing.CancelAsync();
        Ready = false;
        return new PodTermination(Name, preStopTook, clock.Elapsed - preStopTook, _process.ExitCode, killed);
    }

    public string TailOfLog(int lines = 40) =>
        string.Join("\n", File.ReadLines(LogPath).TakeLast(lines));

    private void WriteLog(string line)
    {
        lock (_log) _log.WriteLine(line);
    }

    private static TimeSpan PeriodOf(V1Probe probe) => TimeSpan.FromSeconds((probe.PeriodSeconds ?? 10) * ProbePeriodScale);

    /// <summary>What the image sets itself (the .NET base image), and a writable home in place of the emptyDir /tmp.</summary>
    private static Dictionary<string, string> ImageEnvironment(string tmp)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            ["HOME"] = tmp,
            ["TMPDIR"] = tmp,
        };
        if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) environment["DOTNET_ROOT"] = root;
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await _probing.CancelAsync();
        if (!_process.HasExited)
        {
            PosixSignals.Send(_process.Id, PosixSignals.SIGKILL);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
        lock (_log) _log.Dispose();
        _probing.Dispose();
        TestDirectories.TryDelete(_temporaryDirectory);
    }
}

/// <summary>How a pod's termination went: preStop's time, SIGTERM to exit, the exit code, whether SIGKILL was needed.</summary>
public sealed record PodTermination(string Pod, TimeSpan PreStop, TimeSpan SigtermToExit, int ExitCode, bool Killed);
