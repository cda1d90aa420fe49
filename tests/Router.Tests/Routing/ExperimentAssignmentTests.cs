using MathNet.Numerics.Distributions;
using VoicePlatform.ExperimentStatistics;
using VoicePlatform.Router.Routing.Experiments;

namespace VoicePlatform.Router.Tests.Routing;

/// <summary>The bucket function: stable, uniform, independent between experiments; arms by weight; traffic holdout.</summary>
public class ExperimentAssignmentTests
{
    private static readonly string[] Subjects = [.. Enumerable.Range(0, 10_000).Select(i => $"user-{i}")];

    // Golden values computed independently: int.from_bytes(sha256("|".join(parts)).digest()[:8], "big") % 10000 (Python).
    [Theory]
    [InlineData("tenant-a", "exp_1", "salt", "user-1", 2193)]
    [InlineData("tenant-a", "exp_1", "salt", "user-2", 6567)]
    [InlineData("tenant-a", "exp_2", "salt", "user-1", 4834)]
    [InlineData("tenant-b", "exp_1", "salt", "user-1", 5173)]
    [InlineData("tenant-a", "exp_1", "pepper", "user-1", 7189)]
    [InlineData("tenant-a", "exp_1", "salt", "sess_ÿ|😀", 4500)]
    public void Buckets_are_stable_golden_values(string tenant, string experiment, string salt, string subject, int bucket) =>
        Assert.Equal(bucket, ExperimentAssignment.Bucket(tenant, experiment, salt, subject));

    [Theory]
    [InlineData(new[] { 50, 50 })]
    [InlineData(new[] { 90, 10 })]
    [InlineData(new[] { 20, 30, 50 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1 })]
    public void Ten_thousand_subjects_split_as_the_weights_say(int[] weights)
    {
        var counts = new long[weights.Length];
        foreach (var subject in Subjects) counts[ExperimentAssignment.Assign("t", "exp", "s", subject, weights, 100)!.Value]++;
        var check = SampleRatioCheck.Test(counts, weights);
        Assert.True(check.PValue > 0.001, $"counts {string.Join("/", counts)} for weights {string.Join("/", weights)}: p = {check.PValue}");
    }

    [Fact]
    public void Two_experiments_assign_independently()
    {
        // 2×2 contingency of arms in experiment A against arms in experiment B: no association.
        var table = new long[2, 2];
        foreach (var subject in Subjects)
            table[ExperimentAssignment.Assign("t", "exp_a", "s", subject, [50, 50], 100)!.Value, ExperimentAssignment.Assign("t", "exp_b", "s", subject, [50, 50], 100)!.Value]++;
        double n = Subjects.Length, chi = 0;
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
            {
                var expected = (table[i, 0] + table[i, 1]) * (table[0, j] + table[1, j]) / n;
                chi += (table[i, j] - expected) * (table[i, j] - expected) / expected;
            }
        Assert.True(1 - ChiSquared.CDF(1, chi) > 0.001, $"chi-square {chi}");
    }

    [Fact]
    public void Arms_own_contiguous_bucket_ranges_by_weight()
    {
        Assert.Equal(0, ExperimentAssignment.ArmOf(0, [1, 3]));
        Assert.Equal(0, ExperimentAssignment.ArmOf(2499, [1, 3]));
        Assert.Equal(1, ExperimentAssignment.ArmOf(2500, [1, 3]));
        Assert.Equal(1, ExperimentAssignment.ArmOf(9999, [1, 3]));
        Assert.Equal(2, ExperimentAssignment.ArmOf(9999, [1, 1, 1]));
        Assert.Equal(1, ExperimentAssignment.ArmOf(3333, [1, 1, 1]));
    }

    [Fact]
    public void Traffic_percent_holds_out_the_rest_independently_of_the_arm()
    {
        var entered = Subjects.Count(s => ExperimentAssignment.InTraffic("t", "exp", "s", s, 30));
        // Binomial(10,000, 0.3): 3,000 ± 4.5 standard deviations (≈ 206).
        Assert.InRange(entered, 2794, 3206);
        Assert.All(Subjects.Take(100), s => Assert.True(ExperimentAssignment.InTraffic("t", "exp", "s", s, 100)));
        var armsOfEntered = new long[2];
        foreach (var s in Subjects.Where(s => ExperimentAssignment.InTraffic("t", "exp", "s", s, 30)))
            armsOfEntered[ExperimentAssignment.ArmOf(ExperimentAssignment.Bucket("t", "exp", "s", s), [50, 50])]++;
        Assert.True(SampleRatioCheck.Test(armsOfEntered, [50, 50]).PValue > 0.001);
    }

    [Fact]
    public void Sample_ratio_mismatch_is_flagged()
    {
        Assert.True(SampleRatioCheck.Test([5600, 4400], [50, 50]).Mismatch);
        Assert.False(SampleRatioCheck.Test([5030, 4970], [50, 50]).Mismatch);
        Assert.False(SampleRatioCheck.Test([0, 0], [50, 50]).Mismatch);
    }
}
