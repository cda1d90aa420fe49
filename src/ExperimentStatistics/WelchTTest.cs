using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// Welch's unequal-variance t-test of arm − control means, with Welch–Satterthwaite degrees of freedom; the
/// interval is the difference ± t(df) × its standard error. Matches SciPy's <c>ttest_ind(a, b, equal_var=False)</c>
/// and R's <c>t.test(a, b)</c>.
/// </summary>
internal static class WelchTTest
{
    public static DifferenceEstimate Compare(SampleMoments arm, SampleMoments control, double confidenceLevel)
    {
        if (arm.Count < 2 || control.Count < 2)
            throw new ArgumentException("Welch's test needs at least two values per sample.");
        var difference = arm.Mean - control.Mean;
        var armTerm = arm.Variance / arm.Count;
        var controlTerm = control.Variance / control.Count;
        var standardError = Math.Sqrt(armTerm + controlTerm);
        if (standardError == 0) return DifferenceEstimate.WithoutSpread(difference);

        var degreesOfFreedom = (armTerm + controlTerm) * (armTerm + controlTerm)
            / (armTerm * armTerm / (arm.Count - 1) + controlTerm * controlTerm / (control.Count - 1));
        var t = difference / standardError;
        // The lower tail of −|t| rather than 1 − CDF(|t|): no cancellation for tiny p-values.
        var pValue = Math.Min(1, 2 * StudentT.CDF(0, 1, degreesOfFreedom, -Math.Abs(t)));
        var critical = StudentT.InvCDF(0, 1, degreesOfFreedom, (1 + confidenceLevel) / 2);
        return new DifferenceEstimate(difference, difference - critical * standardError, difference + critical * standardError, pValue);
    }
}
