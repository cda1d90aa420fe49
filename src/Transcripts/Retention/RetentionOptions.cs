namespace VoicePlatform.Transcripts.Retention;

/// <summary><c>Retention</c> settings: the default for tenants that chose none, and how the deletion job runs.</summary>
public sealed class RetentionOptions
{
    /// <summary>Whether the periodic job runs (the deletion itself can still be invoked directly).</summary>
    public bool Enabled { get; set; } = true;
    public int DefaultDays { get; set; } = 90;
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Rows deleted per statement: keeps each transaction (and its locks) short on a large backlog.</summary>
    public int BatchSize { get; set; } = 1000;
}
