using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.AppHost.Orchestration.Restarts;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Platform;

namespace VoicePlatform.AppHost.Tests;

/// <summary>
/// DCP does not restart an executable that exits; AppHost's <see cref="ExitedResourceRestarter"/> does, within the
/// resource's budget, and leaves a resource stopped on purpose alone. A small Aspire application of shell resources.
/// </summary>
public sealed class ExitedResourceRestarterTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _directory = TestDirectories.Create("restarter");
    private readonly CancellationTokenSource _stopLogs = new();
    private DistributedApplication? _app;
    private ResourceLogFile? _log;
    private Task _logs = Task.CompletedTask;

    private string RunsFile(string resource) => Path.Combine(_directory, resource + ".runs");

    private string LogPath => Path.Combine(_directory, "resources.log");

    /// <summary>The resource's log lines so far.</summary>
    private List<string> LogOf(string resource)
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Contains($" {resource} ", StringComparison.Ordinal)) lines.Add(line);
        return lines;
    }

    public async Task InitializeAsync()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            // DCP's location is in the app host assembly's metadata (Aspire.AppHost.Sdk), not the test host's.
            AssemblyName = typeof(AppHostProgram).Assembly.GetName().Name,
            DisableDashboard = true,
            AllowUnsecuredTransport = true,
        });
        // Each start appends a line; "crasher" then fails, "steady" runs until stopped.
        builder.AddExecutable("crasher", "sh", _directory, "-c", $"echo run >> {RunsFile("crasher")}; sleep 1; exit 3").WithRestartOnExit(1);
        builder.AddExecutable("steady", "sh", _directory, "-c", $"echo run >> {RunsFile("steady")}; exec sleep 600").WithRestartOnExit(5);
        builder.Services.AddHostedService<ExitedResourceRestarter>();
        _app = builder.Build();
        // Resource logs as the end-to-end fixture keeps them (the restarter writes to the resource's log).
        _log = new ResourceLogFile(LogPath);
        _logs = _log.FollowAsync(_app.Services.GetRequiredService<ResourceNotificationService>(), _app.Services.GetRequiredService<ResourceLoggerService>(), _stopLogs.Token);
        await _app.StartAsync();
    }

    [Fact]
    public async Task A_crashing_resource_is_started_again_once_then_left_exited()
    {
        var notifications = _app!.Services.GetRequiredService<ResourceNotificationService>();

        // The second exit uses up the budget of one restart: the restarter says so in the resource's log.
        var gaveUp = await Poll.UntilAsync(() => Task.FromResult(LogOf("crasher").Any(l => l.Contains("is not restarted again", StringComparison.Ordinal))),
            found => found, Wait);
        var log = LogOf("crasher");
        Assert.True(gaveUp, "crasher log: " + string.Join(" | ", log));
        Assert.Contains(log, l => l.Contains("exited unexpectedly with code 3; restarting it (1 of 1)", StringComparison.Ordinal));
        Assert.Equal(2, File.ReadAllLines(RunsFile("crasher")).Length);
        Assert.True(notifications.TryGetCurrentState("crasher", out var crasher));
        Assert.Contains(crasher.Snapshot.State?.Text, KnownResourceStates.TerminalStates);
    }

    [Fact]
    public async Task A_resource_stopped_on_purpose_stays_stopped()
    {
        var notifications = _app!.Services.GetRequiredService<ResourceNotificationService>();
        await notifications.WaitForResourceAsync("steady", KnownResourceStates.Running).WaitAsync(Wait);
        var stop = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("steady", KnownResourceCommands.StopCommand);
        Assert.True(stop.Success, stop.Message);
        await notifications.WaitForResourceAsync("steady", KnownResourceStates.TerminalStates).WaitAsync(Wait);

        // The crasher's restart shows the restarter at work meanwhile; the stopped resource was not started again.
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(RunsFile("crasher")) ? File.ReadAllLines(RunsFile("crasher")).Length : 0), runs => runs >= 2, Wait);
        Assert.Single(File.ReadAllLines(RunsFile("steady")));
        Assert.True(notifications.TryGetCurrentState("steady", out var steady));
        Assert.Contains(steady.Snapshot.State?.Text, KnownResourceStates.TerminalStates);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _stopLogs.CancelAsync();
        await _logs;
        _log?.Dispose();
        TestDirectories.TryDelete(_directory);
    }
}
