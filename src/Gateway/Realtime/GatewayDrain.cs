namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Graceful drain of the realtime front-end. When the host starts stopping (SIGTERM, a deploy), new realtime sockets
/// are refused (503) and every live session tells its client with a <c>session.draining</c> event, then closes cleanly
/// (1012) after <see cref="RealtimeOptions.DrainGracePeriod"/>, so the client can resume the session on another
/// Gateway instance with its resume token.
/// </summary>
public sealed class GatewayDrain
{
    private readonly CancellationTokenSource _draining = new();

    public GatewayDrain(IHostApplicationLifetime lifetime, ILogger<GatewayDrain> logger)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            logger.LogInformation("Draining: telling realtime clients to resume elsewhere");
            _draining.Cancel();
        });
    }

    public CancellationToken Draining => _draining.Token;

    public bool IsDraining => _draining.IsCancellationRequested;
}
