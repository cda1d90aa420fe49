using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics.Tests;

/// <summary>The report as the results endpoint uses it: effects found with their sign, insufficient data, SRM, edge cases.</summary>
public class ExperimentAnalysisTests
{
    private static readonly ArmSpec[] TwoArms = [new("control", 50), new("fast", 50)];
    private static readonly ExperimentAnalysisOptions Defaults = new();

    [Fact]
    public void A_faster_arm_with_fewer_errors_is_detected_with_the_right_sign()
    {
        var random = new Random(7);
        var controlLatency = new LogNormal(Math.Log(900), 0.4, random);
        var fastLatency = new LogNormal(Math.Log(600), 0.4, random);
        var sessions = new List<SessionObservation>();
        for (var i = 0; i < 60; i++)
        {
            sessions.Add(Session("control", controlLatency.Sample(), errorEnd: random.NextDouble() < 0.5));
            sessions.Add(Session("fast", fastLatency.Sample(), errorEnd: random.NextDouble() < 0.1));
        }

        var report = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults);

        var fast = report.Arms.Single(a => a.Name == "fast");
        Assert.Equal(60, fast.Sessions);
        Assert.Equal(180, fast.Turns);
        Assert.False(fast.InsufficientData);
        var ttfa = fast.VersusControl.Single(c => c.Metric == "ttfa_ms");
        Assert.Equal(StatisticalTest.WelchT, ttfa.Test);
        Assert.True(ttfa.Difference < 0, $"difference {ttfa.Difference}");
        Assert.True(ttfa.CiHigh < 0, $"CI high {ttfa.CiHigh}");
        Assert.True(ttfa.RelativeLift is < -0.2 and > -0.5, $"lift {ttfa.RelativeLift}");
        Assert.True(ttfa.PValue < 0.01, $"p {ttfa.PValue}");

        var errors = fast.VersusControl.Single(c => c.Metric == "error_end");
        Assert.Equal(StatisticalTest.TwoProportionZ, errors.Test);
        Assert.True(errors.Difference < 0 && errors.CiHigh < 0 && errors.PValue < 0.01, $"{errors}");

        var rate = fast.Metrics.Single(m => m.Metric == "error_end");
        Assert.Equal(MetricKind.Rate, rate.Kind);
        Assert.Null(rate.Median);
        Assert.Null(rate.P90);
        Assert.InRange(rate.Mean, rate.CiLow, rate.CiHigh);
        Assert.False(report.SampleRatio.Mismatch);
    }

    [Fact]
    public void Below_the_minimum_a_comparison_reports_insufficient_data_and_no_numbers()
    {
        var sessions = new List<SessionObservation>();
        for (var i = 0; i < 30; i++) sessions.Add(Session("control", 900 + i, errorEnd: i % 3 == 0));
        for (var i = 0; i < 29; i++) sessions.Add(Session("fast", 500 + i, errorEnd: false));

        var report = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults);

        var fast = report.Arms.Single(a => a.Name == "fast");
        Assert.True(fast.InsufficientData);
        Assert.False(report.Arms.Single(a => a.Name == "control").InsufficientData);
        Assert.Equal(2, fast.VersusControl.Count);
        Assert.All(fast.VersusControl, c =>
        {
            Assert.True(c.InsufficientData);
            Assert.Null(c.Difference);
            Assert.Null(c.RelativeLift);
            Assert.Null(c.CiLow);
            Assert.Null(c.CiHigh);
            Assert.Null(c.PValue);
        });
        // The arm's own summaries are still reported, over the sessions it has.
        Assert.Equal(29, fast.Metrics.Single(m => m.Metric == "ttfa_ms").Sessions);

        // One more session reaches the minimum.
        sessions.Add(Session("fast", 529, errorEnd: false));
        var enough = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults).Arms.Single(a => a.Name == "fast");
        Assert.All(enough.VersusControl, c => Assert.False(c.InsufficientData));
    }

    [Fact]
    public void The_minimum_counts_sessions_with_data_for_the_metric()
    {
        var sessions = new List<SessionObservation>();
        for (var i = 0; i < 40; i++)
        {
            sessions.Add(Session("control", 900 + i, errorEnd: false));
            // Only 10 of the arm's sessions have a latency (the others had no spoken turn).
            sessions.Add(i < 10 ? Session("fast", 500 + i, errorEnd: false)
                : new SessionObservation("fast", 1, new Dictionary<string, double>(), new Dictionary<string, bool> { ["error_end"] = false }));
        }

        var fast = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults).Arms.Single(a => a.Name == "fast");

        Assert.False(fast.InsufficientData);
        Assert.True(fast.VersusControl.Single(c => c.Metric == "ttfa_ms").InsufficientData);
        Assert.False(fast.VersusControl.Single(c => c.Metric == "error_end").InsufficientData);
    }

    [Fact]
    public void The_sample_ratio_check_flags_a_broken_split()
    {
        var sessions = new List<SessionObservation>();
        for (var i = 0; i < 700; i++) sessions.Add(Session("control", 900, errorEnd: false));
        for (var i = 0; i < 500; i++) sessions.Add(Session("fast", 600, errorEnd: false));
        for (var i = 0; i < 300; i++) sessions.Add(Session("holdout", 100, errorEnd: true)); // outside the arms: ignored

        var report = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults);

        Assert.True(report.SampleRatio.Mismatch, $"p = {report.SampleRatio.PValue}");
        Assert.Equal([700, 500], report.Arms.Select(a => a.Sessions));

        // The same counts are what a 60/40 split predicts.
        var weighted = ExperimentAnalysis.Analyze([new("control", 58), new("fast", 42)], "control", sessions, Defaults);
        Assert.False(weighted.SampleRatio.Mismatch, $"p = {weighted.SampleRatio.PValue}");
    }

    [Fact]
    public void Samples_without_spread_give_defined_numbers_not_NaN()
    {
        var sessions = new List<SessionObservation>();
        for (var i = 0; i < 30; i++)
        {
            // Identical latencies within each arm; nobody errs in either arm; everyone is interrupted in both.
            sessions.Add(Session("control", 800, errorEnd: false, interrupted: true));
            sessions.Add(Session("fast", 500, errorEnd: false, interrupted: true));
        }

        var report = ExperimentAnalysis.Analyze(TwoArms, "control", sessions, Defaults);
        var fast = report.Arms.Single(a => a.Name == "fast");

        var ttfa = fast.VersusControl.Single(c => c.Metric == "ttfa_ms");
        Assert.Equal((-300.0, -300.0, -300.0, 0.0), (ttfa.Difference!.Value, ttfa.CiLow!.Value, ttfa.CiHigh!.Value, ttfa.PValue!.Value));
        var errors = fast.VersusControl.Single(c => c.Metric == "error_end");
        Assert.Equal((0.0, 0.0, 0.0, 1.0), (errors.Difference!.Value, errors.CiLow!.Value, errors.CiHigh!.Value, errors.PValue!.Value));
        Assert.Null(errors.RelativeLift); // control's rate is 0: a relative lift is undefined
        var interrupted = fast.VersusControl.Single(c => c.Metric == "interrupted");
        Assert.Equal((0.0, 1.0, 0.0), (interrupted.Difference!.Value, interrupted.PValue!.Value, interrupted.RelativeLift!.Value));

        var summary = fast.Metrics.Single(m => m.Metric == "ttfa_ms");
        Assert.Equal((500.0, 500.0, 500.0, 500.0, 500.0), (summary.Mean, summary.Median!.Value, summary.P90!.Value, summary.CiLow, summary.CiHigh));
        var allNumbers = report.Arms.SelectMany(a => a.Metrics.SelectMany(m => new double?[] { m.Mean, m.Median, m.P90, m.CiLow, m.CiHigh })
            .Concat(a.VersusControl.SelectMany(c => new[] { c.Difference, c.RelativeLift, c.CiLow, c.CiHigh, c.PValue })));
        Assert.All(allNumbers, n => Assert.True(n is null || double.IsFinite(n.Value)));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze(TwoArms, "nope", [], Defaults));
        Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([new("a", 1)], "a", [], Defaults));
        Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([new("a", 1), new("a", 1)], "a", [], Defaults));
        Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([new("a", 1), new("b", 0)], "a", [], Defaults));
        Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze(TwoArms, "control", [Session("fast", double.NaN, false)], Defaults));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentAnalysis.Analyze(TwoArms, "control", [], Defaults with { ConfidenceLevel = 1 }));
    }

    [Fact]
    public void An_experiment_without_sessions_reports_every_arm_empty()
    {
        var report = ExperimentAnalysis.Analyze(TwoArms, "control", [], Defaults);

        Assert.Equal(0, report.SampleRatio.ChiSquare);
        Assert.False(report.SampleRatio.Mismatch);
        Assert.All(report.Arms, a => Assert.True(a.InsufficientData && a.Sessions == 0 && a.Metrics.Count == 0 && a.VersusControl.Count == 0));
    }

    private static SessionObservation Session(string arm, double ttfa, bool errorEnd, bool? interrupted = null)
    {
        var flags = new Dictionary<string, bool> { ["error_end"] = errorEnd };
        if (interrupted is { } value) flags["interrupted"] = value;
        return new SessionObservation(arm, 3, new Dictionary<string, double> { ["ttfa_ms"] = ttfa }, flags);
    }
}
