using System.Diagnostics;
using System.Net.WebSockets;
using VoicePlatform.AppHost.Orchestration;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.TestSupport.Platform;
using VoicePlatform.TestSupport.Realtime;
using Xunit;

namespace VoicePlatform.TestSupport;

/// <summary>
/// The whole platform, booted with AppHost's own Aspire application model through Aspire.Hosting.Testing
/// (<see cref="PlatformBoot"/>), on free ports with a throwaway state directory. Every resource's output goes to
/// <see cref="LogPath"/>, which failing tests print (<see cref="TailOfLog"/>).
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private ResourceLogFile? _log;
    private PlatformBoot? _boot;

    public string StateDirectory { get; } = TestDirectories.Create("platform");

    public string LogPath => Path.Combine(StateDirectory, "platform.log");

    public PlatformEndpoints Endpoints => Boot.Endpoints;

    /// <summary>endpoints.json, as AppHost writes it for scripts and the <c>vp</c> CLI.</summary>
    public string EndpointsFilePath => Path.Combine(StateDirectory, "endpoints.json");

    /// <summary>Where the Gateway stores call recordings.</summary>
    public string RecordingsDirectory => Boot.Platform.RecordingsDirectory;

    /// <summary>The platform's RabbitMQ (to stop and start its broker).</summary>
    public LocalRabbitMqResource RabbitMq => Boot.Platform.RabbitMq.Resource;

    /// <summary>How long the last boot took, from building the model to the dev tenant's key.</summary>
    public TimeSpan BootDuration { get; private set; }

    /// <summary>Extra configuration for every .NET resource (e.g. compressed emulator limits).</summary>
    protected virtual Dictionary<string, string?> Environment => new();

    /// <summary>
    /// The Routers' warm-up starts at once instead of after its production delay (2 s, kept so that a Router restarted
    /// beside a crashed one does not compete with the sessions moving to it): at boot nothing is moving, and the delay
    /// sits on the boot's critical path (Gateway waits for the Routers). Fixtures that kill Routers keep the delay.
    /// </summary>
    protected virtual bool WarmUpAtOnce => true;

    /// <summary>How many Gateway instances the platform runs (the others are <c>gateway-2</c>… in the endpoints' services).</summary>
    protected virtual int GatewayReplicas => 1;

    private PlatformBoot Boot => _boot ?? throw new InvalidOperationException("Platform not started");

    public async Task InitializeAsync()
    {
        _log = new ResourceLogFile(LogPath);
        await BootAsync();
    }

    /// <summary>Stops the platform and boots it again on the same state directory (data, dev tenant and key are kept).</summary>
    public async Task RestartAsync()
    {
        await Boot.DisposeAsync();
        _boot = null;
        await BootAsync();
    }

    private async Task BootAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var environment = Environment;
            if (WarmUpAtOnce) environment.TryAdd("WarmUp__StartDelay", "00:00:00");
            _boot = await PlatformBoot.StartAsync(StateDirectory, GatewayReplicas, environment, _log!, timeout.Token);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Platform failed to start: {ex.Message}{System.Environment.NewLine}{TailOfLog()}", ex);
        }
        BootDuration = stopwatch.Elapsed;
        _log!.Line("fixture", $"platform booted in {BootDuration.TotalSeconds:0.0}s");
    }

    /// <summary>The Gateway's realtime endpoint for <paramref name="model"/>.</summary>
    public Uri RealtimeUri(string model) =>
        new($"{Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?model={Uri.EscapeDataString(model)}");

    /// <summary>
    /// A client connected to the Gateway for <paramref name="model"/> with the dev key (or <paramref name="key"/>). A
    /// handshake that fails says what the platform was doing then (the tail of its log), since a test's own message
    /// cannot.
    /// </summary>
    public async Task<RealtimeTestClient> ConnectAsync(string model, string? key = null)
    {
        try
        {
            return await RealtimeTestClient.ConnectAsync(RealtimeUri(model), key ?? Endpoints.DevApiKey);
        }
        catch (Exception e) when (e is TimeoutException or WebSocketException)
        {
            throw new InvalidOperationException($"{e.Message}; the platform's log then:{System.Environment.NewLine}{TailOfLog(120)}", e);
        }
    }

    /// <summary>
    /// Runs a test body; when it fails, the failure carries the tail of the platform's log, so a failure in CI says what
    /// the services were doing (a test's own message seldom can).
    /// </summary>
    public async Task WithLogOnFailureAsync(Func<Task> body, int lines = 200)
    {
        try
        {
            await body();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.GetType().Name}: {e.Message}; the platform's log then:{System.Environment.NewLine}{TailOfLog(lines)}", e);
        }
    }

    /// <summary>The process id of a running platform resource (e.g. <c>router-1</c>), to signal or kill it.</summary>
    public int ProcessId(string resource) =>
        Boot.ProcessId(resource) ?? throw new InvalidOperationException($"{resource} is not running ({Boot.State(resource)})");

    /// <summary>Every running resource's process id (a restart changes it).</summary>
    public Dictionary<string, int> ProcessIds() => Boot.ProcessIds();

    /// <summary>
    /// Every process of a resource as it is now: its own, their descendants (PostgreSQL's backends, Erlang's helpers)
    /// and those of the resources under it (RabbitMQ's epmd).
    /// </summary>
    public IReadOnlyList<int> ProcessTree(string resource) =>
        [.. Boot.ChildResources(resource).Prepend(resource).Select(Boot.ProcessId).OfType<int>().SelectMany(Platform.ProcessTree.Of)];

    /// <summary>Running, and its health checks pass now (a restarted Router: once it serves again).</summary>
    public Task<bool> IsHealthyAsync(string resource, CancellationToken cancellationToken = default) => Boot.IsHealthyAsync(resource, cancellationToken);

    /// <summary>The resource's state as Aspire shows it (Running, Exited, …).</summary>
    public string? ResourceState(string resource) => Boot.State(resource);

    /// <summary>How often the resource is started again when its process exits on its own (1 unless raised).</summary>
    public void SetMaxRestarts(string resource, int maxRestarts) => Boot.RestartPolicy(resource).MaxRestarts = maxRestarts;

    /// <summary>Stops a resource on purpose (Aspire's stop command; it is not restarted).</summary>
    public Task StopResourceAsync(string resource, CancellationToken cancellationToken = default) => Boot.StopResourceAsync(resource, cancellationToken);

    /// <summary>Starts a stopped resource and waits until it is healthy.</summary>
    public Task StartResourceAsync(string resource, CancellationToken cancellationToken = default) => Boot.StartResourceAsync(resource, cancellationToken);

    public string TailOfLog(int lines = 80) =>
        File.Exists(LogPath) ? string.Join(System.Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines)) : "(no log)";

    public async Task DisposeAsync()
    {
        if (_boot is not null) await _boot.DisposeAsync();
        _log?.Dispose();
        // VOICEPLATFORM_KEEP_TEST_STATE=1 keeps the state directory (platform.log) for debugging.
        if (System.Environment.GetEnvironmentVariable("VOICEPLATFORM_KEEP_TEST_STATE") != "1")
            TestDirectories.TryDelete(StateDirectory);
    }
}
