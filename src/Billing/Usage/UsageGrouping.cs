namespace VoicePlatform.Billing.Usage;

/// <summary>
/// How usage rows are grouped: by UTC day (key <c>yyyy-MM-dd</c>), by model id, by session id, or by experiment arm
/// (key: the arm name, <c>holdout</c> for subjects outside the experiment's traffic; only within one experiment).
/// </summary>
public enum UsageGrouping
{
    Day,
    Model,
    Session,
    Arm,
}
