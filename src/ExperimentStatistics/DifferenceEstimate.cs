namespace VoicePlatform.ExperimentStatistics;

/// <summary>An arm − control difference with its confidence interval and two-sided p-value.</summary>
internal readonly record struct DifferenceEstimate(double Difference, double CiLow, double CiHigh, double PValue)
{
    /// <summary>
    /// Both samples without spread (zero variance, or proportions 0 or 1 in both): the test statistic is 0/0 or x/0.
    /// Equal values are no evidence of a difference (p = 1); different constant values are certain (p = 0). The
    /// interval collapses to the difference. Never NaN.
    /// </summary>
    public static DifferenceEstimate WithoutSpread(double difference) =>
        new(difference, difference, difference, difference == 0 ? 1 : 0);
}
