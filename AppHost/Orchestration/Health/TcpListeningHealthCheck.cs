using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoicePlatform.AppHost.Orchestration.Health;

/// <summary>Healthy when something accepts TCP on the port (epmd has no protocol worth more; its endpoint is not proxied).</summary>
public sealed class TcpListeningHealthCheck(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
