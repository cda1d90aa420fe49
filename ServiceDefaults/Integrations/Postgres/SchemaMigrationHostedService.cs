using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VoicePlatform.ServiceDefaults.Integrations.Postgres;

/// <summary>Runs the schema migration before the service starts taking requests.</summary>
internal sealed class SchemaMigrationHostedService(SchemaMigrator migrator, ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // PostgreSQL may still be starting (Kubernetes starts pods in any order): retry for a while.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(logger, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
