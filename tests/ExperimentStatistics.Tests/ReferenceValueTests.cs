namespace VoicePlatform.ExperimentStatistics.Tests;

/// <summary>
/// The tests' figures against SciPy 1.10.1 (Debian's python3-scipy) to 1e-6 relative. Every reference comes from
/// reference/reference_values.py, which holds the same data sets; its output is quoted next to each figure.
/// </summary>
public class ReferenceValueTests
{
    private static readonly double[] EffectArm = [812, 905, 760, 1012, 880, 940, 795, 1103, 870, 915];
    private static readonly double[] EffectControl = [700, 760, 810, 690, 745, 802, 730, 688, 775, 720, 760, 699];
    private static readonly double[] NullArm = [1.2, 3.4, 2.2, 5.1, 0.7, 2.9, 3.3];
    private static readonly double[] NullControl = [2.0, 2.8, 1.9, 4.4, 3.1, 2.5];

    [Fact]
    public void Welch_matches_scipy_with_an_effect()
    {
        var result = WelchTTest.Compare(SampleMoments.Of(EffectArm), SampleMoments.Of(EffectControl), 0.95);
        Close.Assert(159.28333333333342, result.Difference);   // numpy: a.mean() - b.mean()
        Close.Assert(0.0006964048822711465, result.PValue);    // scipy 1.10.1: stats.ttest_ind(a, b, equal_var=False).pvalue
        Close.Assert(83.20819645583312, result.CiLow);         // scipy 1.10.1: stats.t.interval(0.95, welch_df, loc=diff, scale=se)
        Close.Assert(235.35847021083373, result.CiHigh);
    }

    [Fact]
    public void Welch_matches_scipy_without_an_effect()
    {
        var result = WelchTTest.Compare(SampleMoments.Of(NullArm), SampleMoments.Of(NullControl), 0.95);
        Close.Assert(-0.09761904761904772, result.Difference); // numpy: a.mean() - b.mean()
        Close.Assert(0.8874854128759775, result.PValue);       // scipy 1.10.1: stats.ttest_ind(a, b, equal_var=False).pvalue
        Close.Assert(-1.5941728996137576, result.CiLow);       // scipy 1.10.1: stats.t.interval(0.95, welch_df, loc=diff, scale=se)
        Close.Assert(1.3989348043756622, result.CiHigh);
    }

    [Theory]
    // scipy 1.10.1: 2 * stats.norm.sf(|z|) with the pooled SE, equal to stats.chi2_contingency(table, correction=False)[1];
    // CI: stats.norm.interval(0.95, loc=p1 - p2, scale=unpooled SE).
    [InlineData(12, 80, 25, 90, -0.1277777777777778, 0.04388311297952461, -0.24896048119195277, -0.006595074363602821)]
    [InlineData(3, 40, 4, 45, -0.013888888888888895, 0.8161522065253959, -0.13040542042507589, 0.1026276426472981)]
    public void Two_proportion_z_test_matches_scipy(int armHits, int armCount, int controlHits, int controlCount,
        double difference, double pValue, double ciLow, double ciHigh)
    {
        var result = TwoProportionZTest.Compare(armHits, armCount, controlHits, controlCount, 0.95);
        Close.Assert(difference, result.Difference);
        Close.Assert(pValue, result.PValue);
        Close.Assert(ciLow, result.CiLow);
        Close.Assert(ciHigh, result.CiHigh);
    }

    [Theory]
    // scipy 1.10.1: stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    [InlineData(12, 80, 0.08794040506163547, 0.24413228561323347)]
    [InlineData(0, 40, 0.0, 0.08762160119728662)]
    [InlineData(40, 40, 0.9123783988027133, 1.0)]
    public void Wilson_interval_matches_scipy(int hits, int count, double low, double high)
    {
        var (actualLow, actualHigh) = ConfidenceIntervals.ForProportion(hits, count, 0.95);
        Close.Assert(low, actualLow);
        Close.Assert(high, actualHigh);
    }

    [Fact]
    public void Arm_summary_matches_scipy_and_numpy()
    {
        var report = ExperimentAnalysis.Analyze([new ArmSpec("a", 50), new ArmSpec("b", 50)], "b",
            [.. EffectArm.Select(v => Session("a", v)), .. EffectControl.Select(v => Session("b", v))],
            new ExperimentAnalysisOptions { MinSessionsPerArm = 5 });

        var summary = Assert.Single(report.Arms[0].Metrics);
        Assert.Equal(MetricKind.Mean, summary.Kind);
        Assert.Equal(10, summary.Sessions);
        Close.Assert(899.2, summary.Mean);                  // numpy: a.mean()
        Close.Assert(892.5, summary.Median);                // numpy 1.24.2: np.percentile(a, 50)
        Close.Assert(1021.1, summary.P90);                  // numpy 1.24.2: np.percentile(a, 90) (linear, R type 7)
        Close.Assert(825.6013966584042, summary.CiLow);     // scipy 1.10.1: stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(a))
        Close.Assert(972.7986033415959, summary.CiHigh);

        // The report carries the same Welch figures as the test itself (arm "a" against control "b").
        var comparison = Assert.Single(report.Arms[0].VersusControl);
        Assert.Equal(StatisticalTest.WelchT, comparison.Test);
        Close.Assert(0.0006964048822711465, comparison.PValue);
        Close.Assert(159.28333333333342 / EffectControl.Average(), comparison.RelativeLift);
        Assert.Empty(report.Arms[1].VersusControl);
    }

    [Fact]
    public void Sample_ratio_check_matches_scipy()
    {
        var threeArms = SampleRatioCheck.Test([130, 260, 90], [25, 50, 25]);
        Close.Assert(10.0, threeArms.ChiSquare);                  // scipy 1.10.1: stats.chisquare(counts, expected_from_weights)
        Close.Assert(0.006737946999085468, threeArms.PValue);
        Assert.False(threeArms.Mismatch);

        // SciPy: chi2 = 144.0, p = 3.5529642241553834e-33. The check computes 1 − CDF, which is 0 at that depth; it only
        // compares the p-value with 0.001.
        var broken = SampleRatioCheck.Test([5600, 4400], [50, 50]);
        Close.Assert(144.0, broken.ChiSquare);
        Assert.True(broken.PValue < 1e-30);
        Assert.True(broken.Mismatch);
    }

    private static SessionObservation Session(string arm, double ttfa) =>
        new(arm, 3, new Dictionary<string, double> { ["ttfa_ms"] = ttfa }, new Dictionary<string, bool>());
}
