using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VoicePlatform.Console.Authentication;

/// <summary>
/// Sign-in tickets in Redis, shared by console replicas; the cookie carries only the random key. Tickets hold the API
/// key, so they are encrypted (data protection, whose key ring is in Redis too) and expire with the idle timeout.
/// </summary>
public sealed class RedisTicketStore(IConnectionMultiplexer redis, IDataProtectionProvider protection, IOptions<ConsoleOptions> options, TimeProvider clock)
    : ITicketStore
{
    private const string Prefix = "console:ticket:";
    private readonly IDataProtector _protector = protection.CreateProtector("VoicePlatform.Console.Tickets");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        redis.GetDatabase().StringSetAsync(Prefix + key, _protector.Protect(TicketSerializer.Default.Serialize(ticket)), Lifetime(ticket));

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var value = await redis.GetDatabase().StringGetAsync(Prefix + key);
        if (value.IsNullOrEmpty) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect((byte[])value!));
        }
        catch (CryptographicException)
        {
            return null; // protected with a key that is gone: the user signs in again
        }
    }

    public Task RemoveAsync(string key) => redis.GetDatabase().KeyDeleteAsync(Prefix + key);

    private TimeSpan Lifetime(AuthenticationTicket ticket)
    {
        var remaining = ticket.Properties.ExpiresUtc - clock.GetUtcNow();
        return remaining is { } left && left > TimeSpan.Zero ? left : options.Value.IdleTimeout;
    }
}
