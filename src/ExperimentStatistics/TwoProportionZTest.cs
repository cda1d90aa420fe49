using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// Two-proportion z-test of arm − control rates. The p-value uses the pooled standard error (the null hypothesis says
/// both arms share one rate; it equals a 2×2 chi-square test without continuity correction, R's
/// <c>prop.test(correct = FALSE)</c>); the interval uses the unpooled (Wald) standard error, which does not assume the
/// null.
/// </summary>
internal static class TwoProportionZTest
{
    public static DifferenceEstimate Compare(int armSuccesses, int armCount, int controlSuccesses, int controlCount, double confidenceLevel)
    {
        if (armCount < 1 || controlCount < 1) throw new ArgumentException("Both samples need at least one session.");
        var armRate = (double)armSuccesses / armCount;
        var controlRate = (double)controlSuccesses / controlCount;
        var difference = armRate - controlRate;

        var pooled = (double)(armSuccesses + controlSuccesses) / (armCount + controlCount);
        var pooledError = Math.Sqrt(pooled * (1 - pooled) * (1.0 / armCount + 1.0 / controlCount));
        if (pooledError == 0) return DifferenceEstimate.WithoutSpread(difference);
        var pValue = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(difference / pooledError)));

        var unpooledError = Math.Sqrt(armRate * (1 - armRate) / armCount + controlRate * (1 - controlRate) / controlCount);
        var critical = Normal.InvCDF(0, 1, (1 + confidenceLevel) / 2);
        return new DifferenceEstimate(difference, difference - critical * unpooledError, difference + critical * unpooledError, pValue);
    }
}
