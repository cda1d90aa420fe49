using MathNet.Numerics.Distributions;

namespace VoicePlatform.ExperimentStatistics;

/// <summary>Intervals for one arm's metric: Student t for a mean, Wilson score for a proportion.</summary>
internal static class ConfidenceIntervals
{
    /// <summary>mean ± t(n − 1) × s / √n; collapses to the mean for one value or no spread.</summary>
    public static (double Low, double High) ForMean(SampleMoments sample, double confidenceLevel)
    {
        if (sample.Count < 2 || sample.Variance == 0) return (sample.Mean, sample.Mean);
        var halfWidth = StudentT.InvCDF(0, 1, sample.Count - 1, (1 + confidenceLevel) / 2) * Math.Sqrt(sample.Variance / sample.Count);
        return (sample.Mean - halfWidth, sample.Mean + halfWidth);
    }

    /// <summary>
    /// The Wilson score interval: unlike Wald's it stays inside [0, 1] and does not collapse to a point at 0 or 1
    /// (0 errors in 40 sessions does not prove an error rate of 0).
    /// </summary>
    public static (double Low, double High) ForProportion(int successes, int count, double confidenceLevel)
    {
        if (count < 1) throw new ArgumentException("At least one session.", nameof(count));
        var z = Normal.InvCDF(0, 1, (1 + confidenceLevel) / 2);
        var rate = (double)successes / count;
        var zSquaredOverN = z * z / count;
        var centre = (rate + zSquaredOverN / 2) / (1 + zSquaredOverN);
        var halfWidth = z * Math.Sqrt(rate * (1 - rate) / count + zSquaredOverN / (4 * count)) / (1 + zSquaredOverN);
        return (Math.Max(0, centre - halfWidth), Math.Min(1, centre + halfWidth));
    }
}
