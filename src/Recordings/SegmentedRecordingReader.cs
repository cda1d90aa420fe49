namespace VoicePlatform.Recordings;

/// <summary>
/// Serves a session recorded in several segments (it was resumed on another connection) as one WAV on the session's
/// timeline: the first segment, then each later one at its own start time, with silence for the time between them
/// (when the client was away). A segment that starts before the previous one ended follows it directly, so clock skew
/// between Gateways never overlaps or reorders audio. Nothing is copied: the WAV is a view over the stored segments,
/// and a byte range of it reads just the bytes needed.
/// </summary>
public static class SegmentedRecordingReader
{
    /// <summary>
    /// Opens the byte range [<paramref name="from"/>, <paramref name="to"/>] (as in <see cref="RecordingRangeReader"/>)
    /// of the recording made of <paramref name="segments"/>. NotFound when any segment is missing; throws
    /// <see cref="InvalidDataException"/> when a segment is not a WAV or the segments' formats differ.
    /// </summary>
    public static async Task<RecordingRangeRead> OpenAsync(IRecordingStore store, IReadOnlyList<RecordingSegment> segments,
        long? from = null, long? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (segments.Count == 0)
            return NotFound();
        if (segments.Count == 1)
            return await RecordingRangeReader.OpenAsync(store, segments[0].Key, from, to, cancellationToken).ConfigureAwait(false);

        var ordered = segments.OrderBy(s => s.StartedAt).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var pieces = new List<SegmentedWavPiece>(2 * ordered.Count);
        WavHeader? format = null;
        long dataLength = 0;
        foreach (var segment in ordered)
        {
            if (await ReadSegmentAsync(store, segment.Key, cancellationToken).ConfigureAwait(false) is not var (header, segmentData))
                return NotFound();
            if (format is { } first && (first.SampleRate != header.SampleRate || first.Channels != header.Channels || first.BitsPerSample != header.BitsPerSample))
                throw new InvalidDataException($"Recording segment '{segment.Key}' has a different format from the first segment.");
            format ??= header;
            var at = TimelineClock.ToFrames(segment.StartedAt - ordered[0].StartedAt, header.SampleRate) * header.BlockAlign;
            if (at > dataLength)
            {
                pieces.Add(SegmentedWavPiece.Silence(at - dataLength));
                dataLength = at;
            }
            pieces.Add(SegmentedWavPiece.Stored(segment.Key, WavHeader.Size, segmentData));
            dataLength += segmentData;
        }

        var wav = format!.Value with { DataLength = dataLength };
        var total = WavHeader.Size + dataLength;
        if (RequestedByteRange.Resolve(total, from, to) is not { } range)
            return RecordingRangeReader.Unsatisfiable(total);
        var headerBytes = new byte[WavHeader.Size];
        wav.WriteTo(headerBytes);
        pieces.Insert(0, SegmentedWavPiece.Bytes(headerBytes));
        var content = new SegmentedWavStream(store, pieces, range.Start, range.Length);
        return new RecordingRangeRead(RecordingRangeStatus.Ok, total, range.Start, range.Length, from is not null || to is not null, content);
    }

    /// <summary>The segment's WAV header and the length of its audio data, or null when it does not exist.</summary>
    private static async Task<(WavHeader Header, long DataLength)?> ReadSegmentAsync(IRecordingStore store, string key, CancellationToken cancellationToken)
    {
        if (await store.GetSizeAsync(key, cancellationToken).ConfigureAwait(false) is not { } size)
            return null;
        if (size < WavHeader.Size)
            throw new InvalidDataException($"Recording segment '{key}' is too short to be a WAV.");
        var stream = await store.OpenReadAsync(key, 0, WavHeader.Size, cancellationToken).ConfigureAwait(false);
        if (stream is null)
            return null;
        var bytes = new byte[WavHeader.Size];
        await using (stream.ConfigureAwait(false))
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (!WavHeader.TryParse(bytes, out var header))
            throw new InvalidDataException($"Recording segment '{key}' is not a PCM WAV.");
        var data = size - WavHeader.Size;
        return (header, data - data % header.BlockAlign);
    }

    private static RecordingRangeRead NotFound() => new(RecordingRangeStatus.NotFound, 0, 0, 0, false, null);
}
