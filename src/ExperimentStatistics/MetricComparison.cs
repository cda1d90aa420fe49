namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// One metric, an arm against control. <see cref="Difference"/> is arm − control; <see cref="RelativeLift"/> is the
/// difference over control's value (null when control's value is 0); the interval is the difference's; the p-value is
/// two-sided. All four are null when <see cref="InsufficientData"/>.
/// </summary>
/// <param name="Test"><see cref="StatisticalTest.WelchT"/> for mean metrics, <see cref="StatisticalTest.TwoProportionZ"/> for rates.</param>
public sealed record MetricComparison(string Metric, string Test, bool InsufficientData,
    double? Difference, double? RelativeLift, double? CiLow, double? CiHigh, double? PValue);
