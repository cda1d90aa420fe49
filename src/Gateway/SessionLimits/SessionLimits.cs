namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Caps on a tenant's (or one API key's) realtime sessions; null means no cap.</summary>
public sealed record SessionLimits(int? MaxConcurrentSessions, int? MaxSessionStartsPerMinute)
{
    public static readonly SessionLimits None = new(null, null);
}
