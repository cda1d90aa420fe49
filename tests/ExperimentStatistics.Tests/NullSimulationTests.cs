using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics.Tests;

/// <summary>
/// Under the null hypothesis a test at α = 0.05 rejects about 5% of the time. 2,000 simulated A/A experiments of 50
/// sessions per arm (fixed seeds): the rejection count must lie in the binomial 99.9% band of 2,000 × 0.05, 70–132
/// (3.5%–6.6%).
/// </summary>
public class NullSimulationTests
{
    private const int Experiments = 2_000;
    private const int SessionsPerArm = 50;
    private static readonly ArmSpec[] Arms = [new("control", 50), new("treatment", 50)];

    [Fact]
    public void Welch_rejects_about_five_percent_of_AA_experiments_on_lognormal_latencies()
    {
        // Log-normal session latencies around 800 ms (σ = 0.5): skewed, as TTFA is.
        var latency = new LogNormal(Math.Log(800), 0.5, new Random(16));
        var rejections = CountRejections(arm => new SessionObservation(arm, 4,
            new Dictionary<string, double> { ["ttfa_ms"] = latency.Sample() }, new Dictionary<string, bool>()));
        Assert.InRange(rejections, 70, 132);
    }

    [Fact]
    public void Two_proportion_z_test_rejects_about_five_percent_of_AA_experiments()
    {
        // A 30% rate: the pooled z-test's exact size at n = 50 per arm is 4.98% (binomial enumeration), so the band tests
        // the implementation, not the approximation.
        var random = new Random(17);
        var rejections = CountRejections(arm => new SessionObservation(arm, 4,
            new Dictionary<string, double>(), new Dictionary<string, bool> { ["interrupted"] = random.NextDouble() < 0.3 }));
        Assert.InRange(rejections, 70, 132);
    }

    private static int CountRejections(Func<string, SessionObservation> session)
    {
        var rejections = 0;
        for (var experiment = 0; experiment < Experiments; experiment++)
        {
            var sessions = new List<SessionObservation>(2 * SessionsPerArm);
            for (var i = 0; i < SessionsPerArm; i++)
            {
                sessions.Add(session("control"));
                sessions.Add(session("treatment"));
            }
            var report = ExperimentAnalysis.Analyze(Arms, "control", sessions, new ExperimentAnalysisOptions());
            var comparison = Assert.Single(report.Arms[1].VersusControl);
            Assert.False(comparison.InsufficientData);
            if (comparison.PValue < 0.05) rejections++;
        }
        return rejections;
    }
}
