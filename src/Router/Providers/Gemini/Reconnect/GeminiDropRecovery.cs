using System.Threading.RateLimiting;
using VoicePlatform.Contracts.Realtime;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Whether a Gemini connection that closed without a goAway is worth a new connection: a close that could be
/// transient (network, server restart, internal error, overload), a few times a minute per session
/// (<see cref="GeminiProviderOptions.DropRecoveriesPerMinute"/>; 0 turns recovery off). A provider that keeps dropping
/// exhausts the allowance and the session ends; 1007 / 1008 (bad request, key, quota, ended session) would only recur.
/// </summary>
public sealed class GeminiDropRecovery(GeminiProviderOptions options) : IDisposable
{
    private readonly FixedWindowRateLimiter? _allowance = options.DropRecoveriesPerMinute <= 0
        ? null
        : new(new FixedWindowRateLimiterOptions { PermitLimit = options.DropRecoveriesPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>Closes worth a reconnect.</summary>
    public static bool IsTransient(UpstreamClose close) => close.Code is UpstreamClose.Abnormal or RealtimeCloseCodes.GoingAway
        or RealtimeCloseCodes.InternalError or RealtimeCloseCodes.ServiceRestart or RealtimeCloseCodes.TryAgainLater or RealtimeCloseCodes.BadGateway;

    /// <summary>Whether to recover from <paramref name="close"/> (taking one of this minute's recoveries if so).</summary>
    public bool TryRecover(UpstreamClose close) => IsTransient(close) && _allowance?.AttemptAcquire().IsAcquired == true;

    public void Dispose() => _allowance?.Dispose();
}
