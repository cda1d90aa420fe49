using StackExchange.Redis;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// Tells every Gateway instance that a key was revoked (Redis pub/sub), so each evicts it from its cache and ends the
/// live sessions it opened at once. <see cref="RevokedKeySweep"/> catches a missed message.
/// </summary>
public sealed class KeyRevocationChannel(IConnectionMultiplexer redis, TenantKeyAuthenticator authenticator, LiveKeySessions liveSessions,
    ILogger<KeyRevocationChannel> logger)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("gateway:api-key-revoked");

    public async Task AnnounceAsync(string keyId)
    {
        authenticator.Evict(keyId);
        _ = liveSessions.RevokeAsync(keyId); // this instance's sessions need no round trip through Redis
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, keyId);
        }
        catch (Exception ex)
        {
            // The cache TTL still bounds how long other instances accept the key, and the sweep how long its sessions live.
            logger.LogWarning(ex, "Could not announce revocation of key {KeyId}; other instances will see it when their cache expires", keyId);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().SubscribeAsync(Channel, (channel, keyId) =>
        {
            if (!keyId.HasValue) return;
            authenticator.Evict(keyId.ToString());
            _ = liveSessions.RevokeAsync(keyId.ToString()); // it logs its own failures
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}
