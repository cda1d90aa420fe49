namespace VoicePlatform.ExperimentStatistics.Tests;

/// <summary>Agreement with a reference value to a relative tolerance (absolute for an exact 0).</summary>
internal static class Close
{
    public static void Assert(double expected, double? actual, double relative = 1e-6)
    {
        Xunit.Assert.NotNull(actual);
        var tolerance = expected == 0 ? relative : Math.Abs(expected) * relative;
        Xunit.Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"expected {expected:R}, got {actual.Value:R} (relative tolerance {relative})");
    }
}
