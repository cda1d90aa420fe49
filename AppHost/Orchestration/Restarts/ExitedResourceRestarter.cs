using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VoicePlatform.AppHost.Orchestration.Restarts;

/// <summary>
/// DCP runs each executable once: a service that crashes stays Exited. This watches resource states and, for resources
/// marked <see cref="RestartOnExitAnnotation"/>, runs Aspire's own start command when one goes from Running to a
/// terminal state by itself, within its restart budget. A stop that was asked for (the dashboard's Stop, a test's
/// stop command, the application shutting down) passes through Stopping first and is left alone.
/// </summary>
public sealed class ExitedResourceRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    ILogger<ExitedResourceRestarter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastState = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource.RestartPolicy() is not { } policy) continue;
                var state = update.Snapshot.State?.Text;
                lastState.TryGetValue(update.ResourceId, out var previous);
                lastState[update.ResourceId] = state;
                if (previous != KnownResourceStates.Running || state is null || !KnownResourceStates.TerminalStates.Contains(state)) continue;
                if (lifetime.ApplicationStopping.IsCancellationRequested) continue;
                Restart(update.Resource, policy, update.Snapshot.ExitCode, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Restart(IResource resource, RestartOnExitAnnotation policy, int? exitCode, CancellationToken stoppingToken)
    {
        var resourceLog = resourceLogs.GetLogger(resource);
        if (!policy.TryTakeRestart())
        {
            resourceLog.LogError("exited with code {ExitCode} and is not restarted again ({MaxRestarts} restarts used)", exitCode, policy.MaxRestarts);
            return;
        }
        resourceLog.LogWarning("exited unexpectedly with code {ExitCode}; restarting it ({Restart} of {MaxRestarts})", exitCode, policy.Restarts, policy.MaxRestarts);
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stoppingToken);
                if (!result.Success) resourceLog.LogError("restart failed: {Error}", result.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Restarting {Resource} failed", resource.Name);
            }
        }, CancellationToken.None);
    }
}
