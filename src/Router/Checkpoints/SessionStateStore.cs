using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// Resumable session state in Redis: a hash of fields (tenant, model, provider, effective configuration, provider
/// resumption handle, counters), an append-only list of conversation items (JSON), a lease naming the owning Router
/// and a fencing counter. Every write is a Lua script that first checks the writer's fencing token, so updates are
/// atomic and a Router that lost its lease cannot touch the session.
/// </summary>
public sealed class SessionStateStore(IConnectionMultiplexer redis, IOptions<ContinuityOptions> options)
{
    // KEYS: lease, fence. ARGV: owner, ttl ms, take over (1/0). Returns the token held, or 0 when another owner holds it.
    private static readonly LuaScript AcquireScript = LuaScript.Prepare("""
        local current = redis.call('GET', @lease)
        if current then
          local sep = string.find(current, '|', 1, true)
          if string.sub(current, 1, sep - 1) == @owner then
            redis.call('PEXPIRE', @lease, @ttl)
            return tonumber(string.sub(current, sep + 1))
          end
          if @takeOver ~= '1' then return 0 end
        end
        local token = redis.call('INCR', @fence)
        redis.call('SET', @lease, @owner .. '|' .. token, 'PX', @ttl)
        return token
        """);

    // Renew; if Redis lost the lease (restart without persistence, or an outage longer than the lease) but nobody took
    // the session since (fence unchanged or gone), the owner simply takes it again.
    private static readonly LuaScript RenewScript = LuaScript.Prepare("""
        local current = redis.call('GET', @lease)
        if current == @value then
          redis.call('PEXPIRE', @lease, @ttl)
          return 1
        end
        if not current then
          local fence = redis.call('GET', @fence)
          if (not fence) or tonumber(fence) == tonumber(@token) then
            if not fence then redis.call('SET', @fence, @token) end
            redis.call('SET', @lease, @value, 'PX', @ttl)
            return 1
          end
        end
        return 0
        """);

    // Fenced write: fields (flattened name/value pairs in @fields, separated by \0) and history items (\0-separated)
    // are applied only while the fence still equals the writer's token.
    // Returns 0 when fenced off, 1 when written, 2 when the state had been lost (Redis restarted empty; the state hash
    // is written with the first checkpoint, so its absence means loss): the writer must write everything again.
    private static readonly LuaScript CheckpointScript = LuaScript.Prepare("""
        local result = 1
        local fence = redis.call('GET', @fence)
        if not fence then
          redis.call('SET', @fence, @token)
          fence = @token
          result = 2
        end
        if tonumber(fence) ~= tonumber(@token) then return 0 end
        if redis.call('EXISTS', @state) == 0 then result = 2 end
        if @fieldCount ~= '0' then
          local pairs = {}
          for part in string.gmatch(@fields, '([^%z]*)%z') do table.insert(pairs, part) end
          redis.call('HSET', @state, unpack(pairs))
        end
        if @itemCount ~= '0' then
          local items = {}
          for part in string.gmatch(@items, '([^%z]*)%z') do table.insert(items, part) end
          redis.call('RPUSH', @history, unpack(items))
        end
        if @replaceHistory == '1' then
          redis.call('DEL', @history)
          local items = {}
          for part in string.gmatch(@replacement, '([^%z]*)%z') do table.insert(items, part) end
          if #items > 0 then redis.call('RPUSH', @history, unpack(items)) end
        end
        redis.call('PEXPIRE', @state, @retention)
        redis.call('PEXPIRE', @history, @retention)
        redis.call('PEXPIRE', @fence, @retention)
        return result
        """);

    private static readonly LuaScript ReleaseScript = LuaScript.Prepare("""
        if redis.call('GET', @lease) == @value then redis.call('DEL', @lease) end
        redis.call('PEXPIRE', @state, @retention)
        redis.call('PEXPIRE', @history, @retention)
        redis.call('PEXPIRE', @fence, @retention)
        return 1
        """);

    private IDatabase Db => redis.GetDatabase();

    private ContinuityOptions Settings => options.Value;

    /// <summary>
    /// Takes the session's lease for <paramref name="owner"/>. With <paramref name="takeOver"/> (failover: the client's
    /// Gateway re-attached because the old owner's stream broke) an existing lease is superseded at once; otherwise a
    /// lease held by someone else means no.
    /// </summary>
    public async Task<SessionLease?> TryAcquireAsync(string sessionId, string owner, bool takeOver)
    {
        var keys = Keys(sessionId);
        var token = (long)await Db.ScriptEvaluateAsync(AcquireScript, new
        {
            lease = keys.Lease,
            fence = keys.Fence,
            owner,
            ttl = (long)Settings.LeaseDuration.TotalMilliseconds,
            takeOver = takeOver ? "1" : "0",
        });
        return token == 0 ? null : new SessionLease(sessionId, owner, token);
    }

    /// <summary>Extends the lease; false when it was lost (expired, or taken over).</summary>
    public async Task<bool> RenewAsync(SessionLease lease)
    {
        var keys = Keys(lease.SessionId);
        return (long)await Db.ScriptEvaluateAsync(RenewScript, new
        {
            lease = keys.Lease,
            fence = keys.Fence,
            value = $"{lease.Owner}|{lease.Token}",
            token = lease.Token.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ttl = (long)Settings.LeaseDuration.TotalMilliseconds,
        }) == 1;
    }

    /// <summary>
    /// Writes a checkpoint: <paramref name="fields"/> set, <paramref name="appendItems"/> appended to the history (or the
    /// whole history replaced by <paramref name="replaceHistory"/>). False when the lease's token is no longer current:
    /// the caller must stop driving the session.
    /// </summary>
    public async Task<bool> CheckpointAsync(SessionLease lease, IReadOnlyDictionary<string, string>? fields = null,
        IReadOnlyList<string>? appendItems = null, IReadOnlyList<string>? replaceHistory = null) =>
        await WriteCheckpointAsync(lease, fields, appendItems, replaceHistory) != CheckpointResult.FencedOff;

    /// <summary>As <see cref="CheckpointAsync"/>, telling apart a write into state Redis had lost (write everything again).</summary>
    public async Task<CheckpointResult> WriteCheckpointAsync(SessionLease lease, IReadOnlyDictionary<string, string>? fields = null,
        IReadOnlyList<string>? appendItems = null, IReadOnlyList<string>? replaceHistory = null)
    {
        var keys = Keys(lease.SessionId);
        return (CheckpointResult)(long)await Db.ScriptEvaluateAsync(CheckpointScript, new
        {
            state = keys.State,
            history = keys.History,
            fence = keys.Fence,
            token = lease.Token.ToString(System.Globalization.CultureInfo.InvariantCulture),
            fieldCount = (fields?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            fields = Join(fields?.SelectMany(f => new[] { f.Key, f.Value })),
            itemCount = (appendItems?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            items = Join(appendItems),
            replaceHistory = replaceHistory is null ? "0" : "1",
            replacement = Join(replaceHistory),
            retention = (long)Settings.Retention.TotalMilliseconds,
        });
    }

    public async Task<SessionSnapshot?> LoadAsync(string sessionId)
    {
        var keys = Keys(sessionId);
        var batch = Db.CreateBatch();
        var fields = batch.HashGetAllAsync(keys.State);
        var history = batch.ListRangeAsync(keys.History);
        var lease = batch.StringGetAsync(keys.Lease);
        var fence = batch.StringGetAsync(keys.Fence);
        batch.Execute();
        var entries = await fields;
        if (entries.Length == 0) return null;
        var owner = (string?)await lease;
        return new SessionSnapshot(
            sessionId,
            entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!),
            (await history).Select(v => (string)v!).ToList(),
            owner?[..owner.IndexOf('|')],
            (long?)await fence ?? 0);
    }

    /// <summary>Gives the lease up (if still held) and lets the state expire after the retention period.</summary>
    public async Task ReleaseAsync(SessionLease lease)
    {
        var keys = Keys(lease.SessionId);
        await Db.ScriptEvaluateAsync(ReleaseScript, new
        {
            lease = keys.Lease,
            value = $"{lease.Owner}|{lease.Token}",
            state = keys.State,
            history = keys.History,
            fence = keys.Fence,
            retention = (long)Settings.Retention.TotalMilliseconds,
        });
    }

    /// <summary>Deletes everything stored for the session at once (for state that must not linger, e.g. the warm-up's).</summary>
    public Task DeleteAsync(string sessionId)
    {
        var keys = Keys(sessionId);
        return Db.KeyDeleteAsync([keys.State, keys.History, keys.Lease, keys.Fence]);
    }

    // Values may not contain NUL (JSON and ids never do); each value is terminated by one.
    private static string Join(IEnumerable<string>? values) =>
        values is null ? "" : string.Concat(values.Select(v => v.Contains('\0') ? throw new ArgumentException("NUL in session state") : v + "\0"));

    private static SessionKeys Keys(string sessionId) => new(
        $"session:{{{sessionId}}}:state",
        $"session:{{{sessionId}}}:history",
        $"session:{{{sessionId}}}:lease",
        $"session:{{{sessionId}}}:fence");

    private readonly record struct SessionKeys(RedisKey State, RedisKey History, RedisKey Lease, RedisKey Fence);
}

public enum CheckpointResult
{
    FencedOff = 0,
    Written = 1,
    WrittenIntoLostState = 2,
}
