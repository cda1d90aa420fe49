namespace VoicePlatform.ExperimentStatistics;

/// <summary>The values of <see cref="MetricSummary.Kind"/>.</summary>
public static class MetricKind
{
    /// <summary>A per-session value (latency-type), compared on means.</summary>
    public const string Mean = "mean";

    /// <summary>A per-session yes/no, compared on proportions.</summary>
    public const string Rate = "rate";
}
