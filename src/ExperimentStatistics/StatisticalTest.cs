namespace VoicePlatform.ExperimentStatistics;

/// <summary>The values of <see cref="MetricComparison.Test"/>.</summary>
public static class StatisticalTest
{
    /// <summary>Welch's unequal-variance t-test, Welch–Satterthwaite degrees of freedom.</summary>
    public const string WelchT = "welch_t";

    /// <summary>Two-proportion z-test: pooled standard error for the p-value, unpooled (Wald) for the interval.</summary>
    public const string TwoProportionZ = "two_proportion_z";
}
