using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.ServiceDefaults.Integrations.Redis;

namespace VoicePlatform.Console.Authentication;

public static class ConsoleAuthenticationExtensions
{
    private const string DataProtectionKeys = "console:data-protection-keys";

    /// <summary>
    /// Cookie sign-in: HTTP-only, SameSite=Lax, Secure when the request is HTTPS, sliding idle expiry
    /// (<see cref="ConsoleOptions.IdleTimeout"/>), the ticket server side (<see cref="RedisTicketStore"/> with
    /// ConnectionStrings:redis, <see cref="MemoryTicketStore"/> without).
    /// </summary>
    public static IHostApplicationBuilder AddConsoleAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection().SetApplicationName("VoicePlatform.Console");
        if (builder.Configuration.GetConnectionString("redis") is { Length: > 0 })
        {
            builder.AddRedis();
            services.AddSingleton<ITicketStore, RedisTicketStore>();
            // Replicas decrypt each other's cookies and tickets: one key ring, in Redis.
            services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeys));
        }
        else
        {
            services.AddMemoryCache();
            services.AddSingleton<ITicketStore, MemoryTicketStore>();
            services.AddHostedService<MemoryTicketStoreNotice>();
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "vp_console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = "/login";
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ITicketStore, IOptions<ConsoleOptions>>((cookie, store, console) =>
            {
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = console.Value.IdleTimeout;
            });
        services.AddAuthorization();
        services.AddScoped<KeySignIn>();
        services.AddSingleton<OneTimeSignIn>();
        return builder;
    }
}
