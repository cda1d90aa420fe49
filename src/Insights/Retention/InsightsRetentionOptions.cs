namespace VoicePlatform.Insights.Retention;

/// <summary><c>Insights:Retention</c> settings: how the deletion job runs.</summary>
public sealed class InsightsRetentionOptions
{
    public const string Section = "Insights:Retention";

    /// <summary>Whether the periodic job runs (a sweep can still be invoked directly).</summary>
    public bool Enabled { get; set; } = true;
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Rows deleted per statement: keeps each transaction (and its locks) short on a large backlog.</summary>
    public int BatchSize { get; set; } = 5000;
}
