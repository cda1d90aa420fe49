using Microsoft.Extensions.Options;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// The backstop for a revocation broadcast this Gateway missed (Redis was away) or a session that registered just
/// after it: every <see cref="ApiKeyOptions.ApiKeyCacheSeconds"/> the keys of live sessions are checked against the
/// database in one query, so a revoked key's sessions end within that bound, as its new connections do.
/// </summary>
public sealed class RevokedKeySweep(LiveKeySessions liveSessions, ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider clock,
    ILogger<RevokedKeySweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.ApiKeyCacheSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var keyIds = liveSessions.KeyIds;
            if (keyIds.Count == 0) continue;
            try
            {
                var revoked = await store.RevokedAmongAsync(keyIds, stoppingToken);
                await Task.WhenAll(revoked.Select(liveSessions.RevokeAsync));
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Could not check the keys of live sessions for revocation ({Error}); retrying next round", e.Message);
            }
        }
    }
}
