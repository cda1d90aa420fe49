namespace VoicePlatform.Recordings;

/// <summary>
/// Resolves one HTTP-style byte range against a stored object and opens exactly those bytes. Header parsing stays
/// with ASP.NET; this takes the parsed bounds (see <see cref="RequestedByteRange"/>).
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

        if (RequestedByteRange.Resolve(size, from, to) is not { } range)
            return Unsatisfiable(size);
        var (start, length) = range;
        var partial = from is not null || to is not null;

        var stream = await store.OpenReadAsync(key, start, length, cancellationToken).ConfigureAwait(false);
        if (stream is null) // deleted in between
            return new RecordingRangeRead(RecordingRangeStatus.NotFound, 0, 0, 0, false, null);
        return new RecordingRangeRead(RecordingRangeStatus.Ok, size, start, length, partial, stream);
    }

    internal static RecordingRangeRead Unsatisfiable(long size) =>
        new(RecordingRangeStatus.Unsatisfiable, size, 0, 0, true, null);
}
