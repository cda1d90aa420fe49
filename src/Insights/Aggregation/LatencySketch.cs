using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;

namespace VoicePlatform.Insights.Aggregation;

/// <summary>
/// A mergeable latency distribution in milliseconds: an HdrHistogram with 2 significant digits (a percentile is within
/// 1 % of the exact value) up to one hour; longer values are recorded as one hour. Stored per bucket row in
/// HdrHistogram's V2 encoding (counts run-length and zig-zag encoded, so a sparse histogram is a few hundred bytes).
/// Two digits, not three: a query merges one sketch per bucket row (a 30-day range by model is ~10,000 rows), and a
/// 3-digit histogram (13,312 counts) made that merge 5× slower (bench/README.md) for precision no latency needs.
/// </summary>
public sealed class LatencySketch
{
    public const long HighestTrackableMs = 3_600_000;
    public const int SignificantDigits = 2;

    private readonly LongHistogram _histogram;

    public LatencySketch() => _histogram = new LongHistogram(HighestTrackableMs, SignificantDigits);

    private LatencySketch(LongHistogram histogram) => _histogram = histogram;

    public long Count => _histogram.TotalCount;

    public static LatencySketch Decode(byte[]? encoded)
    {
        if (encoded is null || encoded.Length == 0) return new LatencySketch();
        var decoded = (LongHistogram)HistogramEncoding.DecodeFromByteBuffer(ByteBuffer.Allocate(encoded), HighestTrackableMs, null);
        return new LatencySketch(decoded);
    }

    public void Record(long valueMs) => _histogram.RecordValue(Math.Clamp(valueMs, 0, HighestTrackableMs));

    public void Merge(LatencySketch other) => _histogram.Add(other._histogram);

    /// <summary>The value at <paramref name="percentile"/> (0–100); null when empty.</summary>
    public long? Percentile(double percentile) => Count == 0 ? null : _histogram.GetValueAtPercentile(percentile);

    public double? Mean => Count == 0 ? null : _histogram.GetMean();

    public byte[] Encode()
    {
        var buffer = ByteBuffer.Allocate(_histogram.GetNeededByteBufferCapacity());
        var length = _histogram.Encode(buffer, HistogramEncoderV2.Instance);
        // ByteBuffer exposes its bytes only one at a time (its array accessor is internal).
        buffer.Position = 0;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = buffer.Get();
        return bytes;
    }
}
