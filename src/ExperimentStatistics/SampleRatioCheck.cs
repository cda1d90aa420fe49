using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// Sample-ratio mismatch: are the assignment counts what the configured weights predict? A chi-square goodness-of-fit
/// test; a p-value below <see cref="WarningThreshold"/> means the split is broken (a bug, a bot, a filter upstream) and
/// the experiment's comparisons cannot be trusted.
/// </summary>
public static class SampleRatioCheck
{
    public const double WarningThreshold = 0.001;

    public static SampleRatioResult Test(IReadOnlyList<long> counts, IReadOnlyList<int> weights)
    {
        if (counts.Count != weights.Count || counts.Count < 2)
            throw new ArgumentException("One count per arm, at least two arms.", nameof(counts));
        var n = counts.Sum();
        if (n == 0) return new SampleRatioResult(0, 1, false);
        double total = weights.Sum();
        var chiSquare = 0.0;
        for (var i = 0; i < counts.Count; i++)
        {
            var expected = n * weights[i] / total;
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        var p = 1 - ChiSquared.CDF(counts.Count - 1, chiSquare);
        return new SampleRatioResult(chiSquare, p, p < WarningThreshold);
    }
}
