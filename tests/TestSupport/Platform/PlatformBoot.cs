using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using VoicePlatform.AppHost;
using VoicePlatform.AppHost.Orchestration;
using VoicePlatform.AppHost.Orchestration.Restarts;
using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.TestSupport.Platform;

/// <summary>
/// One run of the platform in the test process: AppHost's own application model (<see cref="PlatformApplication"/>)
/// built on Aspire.Hosting.Testing's builder and run by DCP, with AppHost's start-up reporter (dev tenant,
/// endpoints.json) and crash restarts, but no dashboard. Resources are reached by name through Aspire's services.
/// </summary>
public sealed class PlatformBoot : IAsyncDisposable
{
    private const string ProcessIdProperty = "executable.pid";

    private readonly DistributedApplication _app;
    private readonly CancellationTokenSource _stopLogs;
    private readonly Task _logs;

    private PlatformBoot(DistributedApplication app, PlatformApplication platform, CancellationTokenSource stopLogs, Task logs)
    {
        _app = app;
        Platform = platform;
        _stopLogs = stopLogs;
        _logs = logs;
    }

    public PlatformApplication Platform { get; }

    public PlatformEndpoints Endpoints { get; private set; } = null!;

    private ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    private IEnumerable<IResource> Resources => _app.Services.GetRequiredService<DistributedApplicationModel>().Resources;

    public static async Task<PlatformBoot> StartAsync(string stateDirectory, int gatewayReplicas, IReadOnlyDictionary<string, string?> environment,
        ResourceLogFile log, CancellationToken cancellationToken)
    {
        // AppHost's own Main builds the model from its command line (Aspire.Hosting.Testing stops it just before Build).
        string[] args = ["--state-dir", stateDirectory, "--gateway-port", "0", "--gateway-tls-port", "0",
            "--gateway-replicas", gatewayReplicas.ToString(CultureInfo.InvariantCulture)];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(AppHostProgram), args, (options, _) =>
        {
            options.DisableDashboard = true; // nobody looks at it in a test run, and it costs start-up time
        }, cancellationToken);
        var platform = (PlatformApplication)builder.Services.Single(s => s.ServiceType == typeof(PlatformApplication)).ImplementationInstance!;
        // Resource output goes to the platform log (ResourceLogFile). Aspire would forward it to this process's console
        // logger too, whose bounded queue makes the forwarding threads wait whenever the test runner reads the console
        // slowly: a boot's thousands of lines then starved the thread pool, and the tests' clients with it.
        builder.Services.AddLogging(logging => logging.AddFilter($"{typeof(AppHostProgram).Assembly.GetName().Name}.Resources", LogLevel.None));
        // The fixture's extra configuration for every .NET resource: the model can still be changed until it is built.
        foreach (var (name, value) in environment)
            foreach (var service in platform.DotNetResources) service.WithEnvironment(name, value);
        // No dashboard, so no OTLP collector: without this every service would export to Aspire's default
        // localhost:4317 and keep retrying (ServiceDefaults exports only when the endpoint is set).
        foreach (var service in platform.DotNetResources)
            service.WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var app = await builder.BuildAsync(cancellationToken);
        var stopLogs = new CancellationTokenSource();
        var logs = log.FollowAsync(app.Services.GetRequiredService<ResourceNotificationService>(),
            app.Services.GetRequiredService<ResourceLoggerService>(), stopLogs.Token);
        var boot = new PlatformBoot(app, platform, stopLogs, logs);
        try
        {
            await app.StartAsync(cancellationToken);
            boot.Endpoints = await app.Services.GetRequiredService<PlatformStartupReporter>().Ready.WaitAsync(cancellationToken);
            return boot;
        }
        catch (Exception ex)
        {
            // Which resource held the boot up is the first thing a failed start needs to say (the log tail rarely does).
            var states = boot.DescribeResources();
            await boot.DisposeAsync();
            throw new InvalidOperationException($"{ex.Message} Resources: {states}", ex);
        }
    }

    /// <summary>One line per resource: its state, health and any failing health check, as Aspire sees it now.</summary>
    public string DescribeResources() => string.Join("; ", Resources.Select(r =>
    {
        if (!Notifications.TryGetCurrentState(r.Name, out var current)) return $"{r.Name}: (no state)";
        var snapshot = current.Snapshot;
        var failing = snapshot.HealthReports.Where(h => h.Status is not HealthStatus.Healthy)
            .Select(h => $"{h.Name} {h.Status?.ToString() ?? "pending"}{(h.Description is { Length: > 0 } d ? $" ({d})" : "")}");
        return $"{r.Name}: {snapshot.State?.Text ?? "?"} {snapshot.HealthStatus?.ToString() ?? ""} {string.Join(", ", failing)}".TrimEnd();
    }));

    /// <summary>The process id of a running resource (its executable, as DCP reports it).</summary>
    public int? ProcessId(string resource) =>
        Notifications.TryGetCurrentState(resource, out var current) && current.Snapshot.State?.Text == KnownResourceStates.Running
        && current.Snapshot.Properties.FirstOrDefault(p => p.Name == ProcessIdProperty)?.Value is { } value
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;

    /// <summary>Every running resource's process id.</summary>
    public Dictionary<string, int> ProcessIds() =>
        Resources.Select(r => (r.Name, Pid: ProcessId(r.Name))).Where(r => r.Pid is not null).ToDictionary(r => r.Name, r => r.Pid!.Value);

    /// <summary>The resources shown under <paramref name="resource"/> (RabbitMQ's epmd).</summary>
    public IEnumerable<string> ChildResources(string resource) =>
        Resources.Where(r => r.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Type == "Parent" && a.Resource.Name == resource)).Select(r => r.Name);

    /// <summary>
    /// Running, and its health checks pass when run now: after a restart the snapshot can still carry the health of
    /// the previous process until Aspire's next check, so it is not asked.
    /// </summary>
    public async Task<bool> IsHealthyAsync(string resource, CancellationToken cancellationToken)
    {
        if (ProcessId(resource) is null) return false;
        var checks = Resources.Single(r => r.Name == resource).Annotations.OfType<HealthCheckAnnotation>().Select(a => a.Key).ToHashSet();
        var report = await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => checks.Contains(r.Name), cancellationToken);
        return report.Status == HealthStatus.Healthy;
    }

    public string? State(string resource) => Notifications.TryGetCurrentState(resource, out var current) ? current.Snapshot.State?.Text : null;

    public RestartOnExitAnnotation RestartPolicy(string resource) =>
        Resources.Single(r => r.Name == resource).RestartPolicy() ?? throw new InvalidOperationException($"{resource} is not restarted on exit");

    /// <summary>Aspire's stop command (the dashboard's Stop): a deliberate stop, not restarted.</summary>
    public async Task StopResourceAsync(string resource, CancellationToken cancellationToken)
    {
        var pid = ProcessId(resource);
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
        await Notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken);
        if (pid is { } id)
        {
            await ExitedAsync(id, cancellationToken);
        }
    }

    /// <summary>
    /// Waits for the process itself to be gone: the resource's state can turn terminal while the process still shuts
    /// down and holds its port, and a start in that moment fails (once in a 20-run fault loop: "redis … failed to start").
    /// </summary>
    private static async Task ExitedAsync(int pid, CancellationToken cancellationToken)
    {
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    /// <summary>Aspire's start command; returns once the resource is healthy again.</summary>
    public async Task StartResourceAsync(string resource, CancellationToken cancellationToken)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        await Notifications.WaitForResourceHealthyAsync(resource, cancellationToken);
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success) throw new InvalidOperationException($"{command} of {resource} failed: {result.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try { await _app.StopAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        await _app.DisposeAsync();
        await _stopLogs.CancelAsync();
        await _logs;
        _stopLogs.Dispose();
    }
}
