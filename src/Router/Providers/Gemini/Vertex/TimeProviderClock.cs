using Google.Apis.Util;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Google.Apis.Auth's clock from a <see cref="TimeProvider"/> (token expiry on the platform's time).</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
#pragma warning disable CS0618 // IClock.Now is obsolete but still part of the interface
    public DateTime Now => time.GetLocalNow().DateTime;
#pragma warning restore CS0618

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
