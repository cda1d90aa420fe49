namespace VoicePlatform.Insights.Experiments;

/// <summary>Configuration section <c>Insights:Experiments</c>.</summary>
public sealed class ExperimentResultsOptions
{
    public const string Section = "Insights:Experiments";

    /// <summary>Below this many sessions with data in an arm (or the control), a comparison is "insufficient data".</summary>
    public int MinSessionsPerArm { get; set; } = 30;

    /// <summary>Confidence level of every interval.</summary>
    public double ConfidenceLevel { get; set; } = 0.95;
}
