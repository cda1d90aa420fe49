using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Console.Authentication;

/// <summary>Sign-in tickets in this process's memory: for a single console without Redis (sign-ins end with the process).</summary>
public sealed class MemoryTicketStore(IMemoryCache cache, IOptions<ConsoleOptions> options, TimeProvider clock) : ITicketStore
{
    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        cache.Set(key, ticket, Lifetime(ticket));
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        cache.Set(key, ticket, Lifetime(ticket));
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => Task.FromResult(cache.Get<AuthenticationTicket>(key));

    public Task RemoveAsync(string key)
    {
        cache.Remove(key);
        return Task.CompletedTask;
    }

    private TimeSpan Lifetime(AuthenticationTicket ticket)
    {
        var remaining = ticket.Properties.ExpiresUtc - clock.GetUtcNow();
        return remaining is { } left && left > TimeSpan.Zero ? left : options.Value.IdleTimeout;
    }
}
