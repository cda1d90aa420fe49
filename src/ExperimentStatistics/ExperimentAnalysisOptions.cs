namespace VoicePlatform.ExperimentStatistics;

/// <summary>How <see cref="ExperimentAnalysis"/> judges an experiment.</summary>
public sealed record ExperimentAnalysisOptions
{
    /// <summary>Below this many sessions with data (in the arm or in control), a comparison reports insufficient data.</summary>
    public int MinSessionsPerArm { get; init; } = 30;

    /// <summary>Confidence level of every interval, in (0, 1).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;
}
