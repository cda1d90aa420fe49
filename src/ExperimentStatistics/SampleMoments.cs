namespace VoicePlatform.ExperimentStatistics;

/// <summary>A sample's size, mean and unbiased (n − 1) variance; the variance is 0 for a single value.</summary>
internal readonly record struct SampleMoments(int Count, double Mean, double Variance)
{
    public static SampleMoments Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("At least one value.", nameof(values));
        // Two passes: the textbook one-pass formula loses precision on large latencies with small spread.
        var mean = values.Average();
        if (values.Count == 1) return new SampleMoments(1, mean, 0);
        var squares = 0.0;
        foreach (var value in values) squares += (value - mean) * (value - mean);
        return new SampleMoments(values.Count, mean, squares / (values.Count - 1));
    }
}
