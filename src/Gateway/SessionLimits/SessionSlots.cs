using StackExchange.Redis;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Concurrency slots and session-start rates in Redis, shared by every Gateway instance. A slot is a lease: a member
/// of the tenant's (and the key's) sorted set scored with its expiry, renewed while the session lives and removed when
/// it ends, so a crashed Gateway's slots free themselves when their leases run out. Starts are a sliding one-minute log.
/// Checking and taking happen in one script, so two Gateways admitting at once can never both take the last slot, and
/// a refused attempt is not counted as a start. Times come from the Redis server's clock, not the Gateways'.
/// </summary>
public sealed class SessionSlots(IConnectionMultiplexer redis)
{
    private const string AdmitScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local session, lease, countStart = ARGV[1], tonumber(ARGV[2]), ARGV[7] == '1'
        for i = 1, 2 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now) end
        for i = 3, 4 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - 60000) end
        if countStart then
          for i = 3, 4 do
            local limit = tonumber(ARGV[i + 2])
            if limit >= 0 and redis.call('ZCARD', KEYS[i]) >= limit then
              local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
              local retry = 60000
              if oldest[2] then retry = tonumber(oldest[2]) + 60000 - now end
              return {i - 2, retry}
            end
          end
        end
        for i = 1, 2 do
          local limit = tonumber(ARGV[i + 2])
          if limit >= 0 and not redis.call('ZSCORE', KEYS[i], session) and redis.call('ZCARD', KEYS[i]) >= limit then
            return {i + 2, 0}
          end
        end
        for i = 1, 2 do
          redis.call('ZADD', KEYS[i], now + lease, session)
          redis.call('PEXPIRE', KEYS[i], lease * 2)
        end
        if countStart then
          for i = 3, 4 do
            redis.call('ZADD', KEYS[i], now, session)
            redis.call('PEXPIRE', KEYS[i], 61000)
          end
        end
        return {0, 0}
        """;

    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[2])
        for i = 1, 2 do
          redis.call('ZADD', KEYS[i], 'XX', now + lease, ARGV[1])
          redis.call('PEXPIRE', KEYS[i], lease * 2)
        end
        return 1
        """;

    private const string CountScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
        """;

    /// <summary>Takes a slot for the session (and logs a start unless it is a resume of a live session), or says which limit refused it.</summary>
    public async Task<SlotDecision> TryAdmitAsync(SessionSlotOwner owner, KeySessionLimits limits, TimeSpan lease, bool countStart)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AdmitScript, owner.Keys, [
            owner.SessionId, (long)lease.TotalMilliseconds,
            limits.Tenant.MaxConcurrentSessions ?? -1, limits.Key.MaxConcurrentSessions ?? -1,
            limits.Tenant.MaxSessionStartsPerMinute ?? -1, limits.Key.MaxSessionStartsPerMinute ?? -1,
            countStart ? "1" : "0",
        ]))!;
        return new SlotDecision((SlotRefusal)(int)result[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
    }

    public Task RenewAsync(SessionSlotOwner owner, TimeSpan lease) =>
        redis.GetDatabase().ScriptEvaluateAsync(RenewScript, owner.Keys, [owner.SessionId, (long)lease.TotalMilliseconds]);

    public async Task ReleaseAsync(SessionSlotOwner owner)
    {
        var db = redis.GetDatabase();
        await Task.WhenAll(db.SortedSetRemoveAsync(owner.Keys[0], owner.SessionId), db.SortedSetRemoveAsync(owner.Keys[1], owner.SessionId));
    }

    /// <summary>Live (unexpired) sessions of a tenant, across all Gateways.</summary>
    public async Task<long> CountTenantSessionsAsync(Guid tenantId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [SessionSlotOwner.TenantSessionsKey(tenantId)]);
}
