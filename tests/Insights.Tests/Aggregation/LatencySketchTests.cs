using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Insights.Tests.Aggregation;

public class LatencySketchTests
{
    [Fact]
    public void A_sketch_survives_encoding_and_merges_like_one_sketch_of_all_values()
    {
        var first = new LatencySketch();
        var second = new LatencySketch();
        var all = new LatencySketch();
        for (var v = 1; v <= 1_000; v++)
        {
            (v % 3 == 0 ? first : second).Record(v * 7);
            all.Record(v * 7);
        }
        var merged = LatencySketch.Decode(first.Encode());
        merged.Merge(LatencySketch.Decode(second.Encode()));

        Assert.Equal(1_000, merged.Count);
        foreach (var p in new[] { 50.0, 90, 95, 99 }) Assert.Equal(all.Percentile(p), merged.Percentile(p));
        Assert.InRange(merged.Percentile(95)!.Value, 6_650, 6_650 * 1.01);
        Assert.True(first.Encode().Length < 4_000, "a sparse sketch encodes small");
        Assert.Null(new LatencySketch().Percentile(50));
        Assert.Equal(0, LatencySketch.Decode(null).Count);
    }

    [Fact]
    public void Values_beyond_an_hour_are_recorded_as_an_hour()
    {
        var sketch = new LatencySketch();
        sketch.Record(10_000_000);
        sketch.Record(-5);
        Assert.Equal(2, sketch.Count);
        Assert.Equal(0, sketch.Percentile(1));
        Assert.InRange(sketch.Percentile(100)!.Value, LatencySketch.HighestTrackableMs, LatencySketch.HighestTrackableMs * 1.01);
    }
}
