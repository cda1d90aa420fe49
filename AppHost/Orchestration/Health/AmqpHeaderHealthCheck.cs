using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoicePlatform.AppHost.Orchestration.Health;

/// <summary>Healthy when the broker answers an AMQP 0-9-1 protocol header with connection.start.</summary>
public sealed class AmqpHeaderHealthCheck(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
            var buffer = new byte[7];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0) return HealthCheckResult.Unhealthy("the broker closed the connection");
                read += n;
            }
            // Frame type 1 (method) on channel 0: the server's connection.start.
            return buffer[0] == 1 && buffer[1] == 0 && buffer[2] == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("no connection.start frame");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
