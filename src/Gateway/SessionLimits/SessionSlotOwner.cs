using StackExchange.Redis;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// A session's place in the Redis slot sets. Every key carries the tenant as its hash tag, so one script can touch
/// them all on a Redis Cluster too (the API key belongs to the tenant).
/// </summary>
public sealed record SessionSlotOwner(Guid TenantId, string KeyId, string SessionId)
{
    public RedisKey[] Keys { get; } =
    [
        TenantSessionsKey(TenantId),
        $"gw:{{t:{TenantId}}}:key:{KeyId}:sessions",
        $"gw:{{t:{TenantId}}}:starts",
        $"gw:{{t:{TenantId}}}:key:{KeyId}:starts",
    ];

    public static RedisKey TenantSessionsKey(Guid tenantId) => $"gw:{{t:{tenantId}}}:sessions";
}
