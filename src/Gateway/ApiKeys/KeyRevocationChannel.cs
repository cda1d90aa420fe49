using StackExchange.Redis;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// Tells every Gateway instance that a key was revoked (Redis pub/sub), so each evicts it from its cache at once.
/// </summary>
public sealed class KeyRevocationChannel(IConnectionMultiplexer redis, TenantKeyAuthenticator authenticator, ILogger<KeyRevocationChannel> logger)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("gateway:api-key-revoked");

    public async Task AnnounceAsync(string keyId)
    {
        authenticator.Evict(keyId);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, keyId);
        }
        catch (Exception ex)
        {
            // The cache TTL still bounds how long other instances accept the key.
            logger.LogWarning(ex, "Could not announce revocation of key {KeyId}; other instances will see it when their cache expires", keyId);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, keyId) =>
        {
            if (keyId.HasValue) authenticator.Evict(keyId.ToString());
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}
