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
            // Only connection problems are worth waiting out; a broken migration fails start-up at once.
            catch (Exception ex) when ((ex is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException) && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
