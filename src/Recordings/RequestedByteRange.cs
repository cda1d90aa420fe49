namespace VoicePlatform.Recordings;

/// <summary>
/// One HTTP-style byte range (RFC 9110 §14.1.2) resolved against a length: <c>bytes=a-b</c> → (a, b);
/// <c>bytes=a-</c> → (a, null); <c>bytes=-n</c> → (null, n), the last n bytes; no Range → (null, null).
/// </summary>
internal static class RequestedByteRange
{
    /// <summary>The bytes to send, or null when the range cannot be satisfied (416).</summary>
    public static (long Start, long Length)? Resolve(long size, long? from, long? to)
    {
        if (from is null && to is null)
            return (0, size);
        if (from is null)
        {
            // Suffix: the last n bytes (all of them if the object is shorter); n = 0 cannot be satisfied.
            if (to!.Value <= 0 || size == 0)
                return null;
            var suffix = Math.Min(to.Value, size);
            return (size - suffix, suffix);
        }
        if (from.Value < 0 || (to is { } last && last < from.Value))
            throw new ArgumentException("Invalid byte range: first byte after last byte or negative.", nameof(from));
        if (from.Value >= size)
            return null;
        var end = to is { } requestedEnd ? Math.Min(requestedEnd, size - 1) : size - 1;
        return (from.Value, end - from.Value + 1);
    }
}
