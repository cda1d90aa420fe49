namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// One arm: its sessions and turns, a summary per metric it has data for, and its comparisons with control (one per
/// metric seen in the experiment; empty for the control arm itself).
/// </summary>
/// <param name="InsufficientData">The arm has fewer sessions than <see cref="ExperimentAnalysisOptions.MinSessionsPerArm"/>.</param>
public sealed record ArmReport(string Name, int Sessions, long Turns, bool InsufficientData,
    IReadOnlyList<MetricSummary> Metrics, IReadOnlyList<MetricComparison> VersusControl);
