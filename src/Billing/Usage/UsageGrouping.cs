namespace VoicePlatform.Billing.Usage;

/// <summary>
/// How usage rows are grouped: by UTC day (key <c>yyyy-MM-dd</c>), by model id, by session id, or by experiment arm
/// (key: the arm name, <c>holdout</c> for subjects outside the experiment's traffic; only within one experiment), or by route.
/// </summary>
public enum UsageGrouping
{
    Day,
    Model,
    Session,
    Arm,
    /// <summary>The session's route; "" for sessions that named a model directly.</summary>
    Route,
}
