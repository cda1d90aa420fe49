namespace VoicePlatform.Recordings;

/// <summary>
/// Resolves one HTTP-style byte range (RFC 9110 §14.1.2) against a stored object and opens exactly those bytes.
/// Header parsing stays with ASP.NET; this takes the parsed bounds:
/// <c>bytes=a-b</c> → (a, b); <c>bytes=a-</c> → (a, null); <c>bytes=-n</c> → (null, n) meaning the last n bytes;
/// no Range → (null, null).
/// </summary>
public static class RecordingRangeReader
{
    public static async Task<RecordingRangeRead> OpenAsync(
        IRecordingStore store, string key, long? from = null, long? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var total = await store.GetSizeAsync(key, cancellationToken).ConfigureAwait(false);
        if (total is not { } size)
            return new RecordingRangeRead(RecordingRangeStatus.NotFound, 0, 0, 0, false, null);

        long start, length;
        var partial = from is not null || to is not null;
        if (from is null && to is null)
        {
            (start, length) = (0, size);
        }
        else if (from is null)
        {
            // Suffix: the last n bytes (all of them if the object is shorter); n = 0 cannot be satisfied.
            if (to!.Value <= 0 || size == 0)
                return Unsatisfiable(size);
            length = Math.Min(to.Value, size);
            start = size - length;
        }
        else
        {
            if (from.Value < 0 || (to is { } last && last < from.Value))
                throw new ArgumentException("Invalid byte range: first byte after last byte or negative.", nameof(from));
            if (from.Value >= size)
                return Unsatisfiable(size);
            start = from.Value;
            var end = to is { } requestedEnd ? Math.Min(requestedEnd, size - 1) : size - 1;
            length = end - start + 1;
        }

        var stream = await store.OpenReadAsync(key, start, length, cancellationToken).ConfigureAwait(false);
        if (stream is null) // deleted in between
            return new RecordingRangeRead(RecordingRangeStatus.NotFound, 0, 0, 0, false, null);
        return new RecordingRangeRead(RecordingRangeStatus.Ok, size, start, length, partial, stream);
    }

    private static RecordingRangeRead Unsatisfiable(long size) =>
        new(RecordingRangeStatus.Unsatisfiable, size, 0, 0, true, null);
}
