namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// A limit a live session reached. <see cref="Limit"/>: <c>monthly_budget</c>, <c>session_spend</c> or
/// <c>session_duration</c>; <see cref="EndReason"/> is null for a warning (a soft budget), else the recorded end reason.
/// </summary>
public sealed record SessionLimitReached(string Limit, string Code, string Message, string? EndReason)
{
    public bool EndsSession => EndReason is not null;
}
