using MathNet.Numerics.Statistics;

namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// An experiment's results, the session being the unit of analysis: per arm and metric a summary, per arm and metric
/// against control Welch's t-test (mean metrics) or the two-proportion z-test (rates), and the sample-ratio check of
/// the arms' session counts against their weights. docs/routes-and-experiments.md, "Experiment statistics", states the method.
/// </summary>
public static class ExperimentAnalysis
{
    public static ExperimentReport Analyze(IReadOnlyList<ArmSpec> arms, string controlArm, IReadOnlyList<SessionObservation> sessions, ExperimentAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        if (arms.Count < 2) throw new ArgumentException("An experiment has at least two arms.", nameof(arms));
        if (arms.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != arms.Count)
            throw new ArgumentException("Arm names must be unique.", nameof(arms));
        if (arms.Any(a => a.Weight <= 0)) throw new ArgumentException("Arm weights must be positive.", nameof(arms));
        if (!arms.Any(a => a.Name == controlArm))
            throw new ArgumentException($"The control arm '{controlArm}' is not one of the arms.", nameof(controlArm));
        if (options.MinSessionsPerArm < 1) throw new ArgumentOutOfRangeException(nameof(options), "MinSessionsPerArm must be at least 1.");
        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(options), "ConfidenceLevel must lie strictly between 0 and 1.");

        var samples = arms.ToDictionary(a => a.Name, _ => new ArmSample(), StringComparer.Ordinal);
        var meanMetrics = new SortedSet<string>(StringComparer.Ordinal);
        var rateMetrics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            // Sessions outside the configured arms (the holdout) are not part of any comparison.
            if (!samples.TryGetValue(session.Arm, out var sample)) continue;
            sample.Add(session);
            meanMetrics.UnionWith(session.Values.Keys);
            rateMetrics.UnionWith(session.Flags.Keys);
        }

        var sampleRatio = SampleRatioCheck.Test([.. arms.Select(a => (long)samples[a.Name].Sessions)], [.. arms.Select(a => a.Weight)]);
        // Welch's degrees of freedom need two values per side whatever the configured minimum.
        var minimum = Math.Max(2, options.MinSessionsPerArm);
        var control = samples[controlArm];
        var reports = arms.Select(arm =>
        {
            var sample = samples[arm.Name];
            var metrics = new List<MetricSummary>();
            var comparisons = new List<MetricComparison>();
            foreach (var metric in meanMetrics)
            {
                var values = sample.ValuesOf(metric);
                if (values.Count > 0) metrics.Add(SummarizeMean(metric, values, options.ConfidenceLevel));
                if (arm.Name != controlArm) comparisons.Add(CompareMeans(metric, values, control.ValuesOf(metric), minimum, options.ConfidenceLevel));
            }
            foreach (var metric in rateMetrics)
            {
                var flags = sample.FlagsOf(metric);
                if (flags.Sessions > 0) metrics.Add(SummarizeRate(metric, flags, options.ConfidenceLevel));
                if (arm.Name != controlArm) comparisons.Add(CompareRates(metric, flags, control.FlagsOf(metric), minimum, options.ConfidenceLevel));
            }
            return new ArmReport(arm.Name, sample.Sessions, sample.Turns, sample.Sessions < options.MinSessionsPerArm, metrics, comparisons);
        }).ToList();
        return new ExperimentReport(controlArm, sampleRatio, reports);
    }

    private static MetricSummary SummarizeMean(string metric, IReadOnlyList<double> values, double confidenceLevel)
    {
        var moments = SampleMoments.Of(values);
        var sorted = values.Order().ToArray();
        var (low, high) = ConfidenceIntervals.ForMean(moments, confidenceLevel);
        return new MetricSummary(metric, MetricKind.Mean, moments.Count, moments.Mean,
            SortedArrayStatistics.QuantileCustom(sorted, 0.5, QuantileDefinition.R7),
            SortedArrayStatistics.QuantileCustom(sorted, 0.9, QuantileDefinition.R7),
            low, high);
    }

    private static MetricSummary SummarizeRate(string metric, (int Sessions, int Happened) flags, double confidenceLevel)
    {
        var (low, high) = ConfidenceIntervals.ForProportion(flags.Happened, flags.Sessions, confidenceLevel);
        return new MetricSummary(metric, MetricKind.Rate, flags.Sessions, (double)flags.Happened / flags.Sessions, null, null, low, high);
    }

    private static MetricComparison CompareMeans(string metric, IReadOnlyList<double> arm, IReadOnlyList<double> control, int minimum, double confidenceLevel)
    {
        if (arm.Count < minimum || control.Count < minimum) return Insufficient(metric, StatisticalTest.WelchT);
        var controlMoments = SampleMoments.Of(control);
        var estimate = WelchTTest.Compare(SampleMoments.Of(arm), controlMoments, confidenceLevel);
        return Compared(metric, StatisticalTest.WelchT, estimate, controlMoments.Mean);
    }

    private static MetricComparison CompareRates(string metric, (int Sessions, int Happened) arm, (int Sessions, int Happened) control, int minimum, double confidenceLevel)
    {
        if (arm.Sessions < minimum || control.Sessions < minimum) return Insufficient(metric, StatisticalTest.TwoProportionZ);
        var estimate = TwoProportionZTest.Compare(arm.Happened, arm.Sessions, control.Happened, control.Sessions, confidenceLevel);
        return Compared(metric, StatisticalTest.TwoProportionZ, estimate, (double)control.Happened / control.Sessions);
    }

    private static MetricComparison Insufficient(string metric, string test) => new(metric, test, true, null, null, null, null, null);

    // A lift relative to a control value of 0 is undefined (not infinite): null.
    private static MetricComparison Compared(string metric, string test, DifferenceEstimate estimate, double controlValue) =>
        new(metric, test, false, estimate.Difference, controlValue == 0 ? null : estimate.Difference / controlValue,
            estimate.CiLow, estimate.CiHigh, estimate.PValue);
}
