namespace VoicePlatform.Console.Authentication;

/// <summary>Says at start-up that sign-ins are kept in memory (no ConnectionStrings:redis): not shared by replicas.</summary>
public sealed class MemoryTicketStoreNotice(ILogger<MemoryTicketStoreNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning("No Redis configured (ConnectionStrings:redis): sign-ins are kept in this process's memory, "
            + "lost on restart and not shared with other console replicas");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
