using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Insights.Sessions;

/// <summary>Whether an event may touch the session (false: the id belongs to another tenant), and its dimensions if known.</summary>
public sealed record SessionAccess(bool Allowed, Dimensions? Dimensions)
{
    public static readonly SessionAccess OtherTenant = new(false, null);
}
