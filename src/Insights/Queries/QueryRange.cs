using VoicePlatform.Insights.Aggregation;

namespace VoicePlatform.Insights.Queries;

/// <summary>A query's time range in whole hours (the buckets' grain): from rounded down, to rounded up.</summary>
public sealed record QueryRange(DateTimeOffset From, DateTimeOffset To)
{
    public const int MaxDays = 400;
    /// <summary>Hourly time series cover at most this many days (744 points per series).</summary>
    public const int MaxHourlyDays = 31;

    public static QueryRange FromUnixMs(long fromUnixMs, long toUnixMs)
    {
        var from = BucketWriter.BucketOf(DateTimeOffset.FromUnixTimeMilliseconds(fromUnixMs));
        var to = DateTimeOffset.FromUnixTimeMilliseconds(toUnixMs);
        var toBucket = BucketWriter.BucketOf(to);
        return new QueryRange(from, toBucket == to ? to : toBucket.AddHours(1));
    }

    /// <returns>Why the range is unacceptable, or null.</returns>
    public static string? Validate(long fromUnixMs, long toUnixMs, int maxDays)
    {
        if (fromUnixMs <= 0 || toUnixMs <= 0) return "from_unix_ms and to_unix_ms are required (positive Unix milliseconds)";
        if (toUnixMs <= fromUnixMs) return "to must be after from";
        if (toUnixMs - fromUnixMs > TimeSpan.FromDays(maxDays).TotalMilliseconds) return $"the range must not exceed {maxDays} days";
        if (toUnixMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() - 3_600_000) return "to is out of range";
        return null;
    }
}
