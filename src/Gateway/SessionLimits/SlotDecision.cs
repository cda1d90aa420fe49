namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Which limit refused a session (values match the admission script's return codes).</summary>
public enum SlotRefusal
{
    None = 0,
    TenantStartRate = 1,
    KeyStartRate = 2,
    TenantConcurrency = 3,
    KeyConcurrency = 4,
}

/// <summary>The slot script's answer; <see cref="RetryAfter"/> is when the oldest start leaves the minute window.</summary>
public readonly record struct SlotDecision(SlotRefusal Refusal, TimeSpan RetryAfter)
{
    public bool Admitted => Refusal == SlotRefusal.None;
}
