namespace VoicePlatform.Billing.Usage;

/// <summary>How usage rows are grouped: by UTC day (key <c>yyyy-MM-dd</c>), by model id or by session id.</summary>
public enum UsageGrouping
{
    Day,
    Model,
    Session,
}
