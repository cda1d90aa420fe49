namespace VoicePlatform.Insights.Tests;

/// <summary>
/// A percentile from a sketch is the highest value HdrHistogram (2 significant digits) treats as equivalent to the
/// exact one: at least it, and within 1 % above.
/// </summary>
public static class SketchPrecision
{
    public static void AssertEquivalent(long exact, double? fromSketch)
    {
        Assert.NotNull(fromSketch);
        Assert.InRange(fromSketch.Value, exact, exact * 1.01 + 1);
    }
}
