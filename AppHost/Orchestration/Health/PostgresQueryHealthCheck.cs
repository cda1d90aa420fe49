using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VoicePlatform.AppHost.Orchestration.Health;

/// <summary>Healthy when PostgreSQL accepts a login and answers <c>SELECT 1</c>.</summary>
public sealed class PostgresQueryHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("SELECT 1 did not answer 1");
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
