using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.ApiKeys.Throttling;

/// <summary>
/// Slows down key guessing: failed authentications are counted per client address and per key id, and a partition
/// over its limit is refused (429, <c>Retry-After</c>) before any key is checked. Successful requests count nothing.
/// The address is the connection's peer; behind a reverse proxy every client shares the proxy's address.
/// </summary>
public sealed class AuthFailureThrottle(IOptionsMonitor<AuthFailureThrottleOptions> options, TimeProvider clock, ILogger<AuthFailureThrottle> logger)
{
    private readonly FailureWindows _byAddress = new(options.CurrentValue.MaxTrackedPartitions);
    private readonly FailureWindows _byKeyId = new(options.CurrentValue.MaxTrackedPartitions);

    /// <summary>How long a request with <paramref name="presentedKey"/> from this client stays refused, or null.</summary>
    public TimeSpan? RefusedFor(HttpContext context, string? presentedKey)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        TimeSpan? longest = null;
        if (settings.FailuresPerAddress > 0 && AddressPartition(context) is { } address)
            longest = Longer(longest, _byAddress.RefusedFor(address, settings.FailuresPerAddress, settings.Window, now));
        if (settings.FailuresPerKeyId > 0 && KeyIdPartition(presentedKey) is { } keyId)
            longest = Longer(longest, _byKeyId.RefusedFor(keyId, settings.FailuresPerKeyId, settings.Window, now));
        return longest;
    }

    public void RecordFailure(HttpContext context, string? presentedKey)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        if (settings.FailuresPerAddress > 0 && AddressPartition(context) is { } address
            && _byAddress.Record(address, settings.Window, now) == settings.FailuresPerAddress)
        {
            logger.LogWarning("Authentication failures from {Address} reached {Limit} within {Window}; refusing it until the window ends", address, settings.FailuresPerAddress, settings.Window);
        }
        if (settings.FailuresPerKeyId > 0 && KeyIdPartition(presentedKey) is { } keyId
            && _byKeyId.Record(keyId, settings.Window, now) == settings.FailuresPerKeyId)
        {
            logger.LogWarning("Authentication failures for key id {KeyId} reached {Limit} within {Window}; refusing it until the window ends", keyId, settings.FailuresPerKeyId, settings.Window);
        }
    }

    /// <summary>The refusal: HTTP 429, <c>Retry-After</c> in whole seconds, and an OpenAI-style error body.</summary>
    public static IResult Refusal(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return OpenAIError.Result(StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded",
            "Too many failed authentication attempts from this address or for this key. Retry after the time in Retry-After.");
    }

    /// <summary>The client's address; an IPv6 client by its /64, which one subscriber usually holds whole. Null when unknown (in-process test hosts).</summary>
    private static string? AddressPartition(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }

    private static string? KeyIdPartition(string? presentedKey) =>
        ApiKeyFormat.TryParse(presentedKey, out var keyId, out _) ? keyId : null;

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
