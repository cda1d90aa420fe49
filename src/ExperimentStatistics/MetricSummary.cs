namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// One metric in one arm, over the sessions with data for it. For <see cref="MetricKind.Mean"/>: the mean of the
/// sessions' values, their median and p90 (linear interpolation, R type 7 / NumPy's default) and a Student-t interval
/// for the mean. For <see cref="MetricKind.Rate"/>: the proportion of sessions where it happened and its Wilson score
/// interval; <see cref="Median"/> and <see cref="P90"/> are null.
/// </summary>
/// <remarks>With a single session, or all sessions equal, the mean's interval collapses to [mean, mean].</remarks>
public sealed record MetricSummary(string Metric, string Kind, int Sessions, double Mean, double? Median, double? P90, double CiLow, double CiHigh);
