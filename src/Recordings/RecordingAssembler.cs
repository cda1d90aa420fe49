namespace VoicePlatform.Recordings;

/// <summary>
/// Turns the stored parts of a recording into its final WAV (<see cref="RecordingLayout.WavKey"/>). Used by
/// <see cref="StereoCallRecorder.CompleteAsync"/> and, after a crash, by whoever finds a prefix with a manifest but
/// no completed WAV (e.g. a sweeper in the Gateway or Transcripts): the parts are headerless fixed-size PCM,
/// so any set of them assembles into a playable recording up to the last stored part.
/// Idempotent: a prefix whose manifest is already complete returns the stored result.
/// Order of effects — WAV stored, manifest marked complete, parts deleted — means a crash at any point leaves
/// either all parts or a complete WAV.
/// </summary>
public static class RecordingAssembler
{
    /// <summary>
    /// Assembles the WAV under <paramref name="prefix"/> (ending with '/'). Returns null when there is no manifest
    /// (nothing was ever stored). <paramref name="minimumDuration"/> pads with trailing silence (the session end).
    /// </summary>
    public static async Task<RecordingResult?> AssembleAsync(
        IRecordingStore store,
        string prefix,
        bool deleteParts = true,
        TimeSpan? minimumDuration = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        RecordingLayout.ValidatePrefix(prefix);
        var manifest = await RecordingManifest.LoadAsync(store, prefix, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
            return null;
        var wavKey = RecordingLayout.WavKey(prefix);
        if (manifest is { Complete: true, SizeBytes: { } size, DurationMs: { } ms, Sha256: { } sha }
            && await store.GetSizeAsync(wavKey, cancellationToken).ConfigureAwait(false) == size)
        {
            if (deleteParts)
                await DeletePartsAsync(store, prefix, cancellationToken).ConfigureAwait(false);
            return new RecordingResult(wavKey, size, TimeSpan.FromMilliseconds(ms), sha, manifest.SampleRate, manifest.Channels, manifest.StartedAt);
        }

        var partLengths = await PartLengthsAsync(store, prefix, manifest, cancellationToken).ConfigureAwait(false);
        var dataLength = partLengths.Sum();
        var minimumBytes = TimelineClock.ToFrames(minimumDuration ?? TimeSpan.Zero, manifest.SampleRate) * manifest.BytesPerFrame;
        // Trailing silence up to the session end goes into the last slot(s) as if the parts were missing.
        while (dataLength < minimumBytes)
        {
            if (partLengths.Count == 0 || partLengths[^1] == manifest.PartBytes)
                partLengths.Add(0);
            var add = Math.Min(manifest.PartBytes - partLengths[^1], minimumBytes - dataLength);
            partLengths[^1] += add;
            dataLength += add;
        }

        var header = new WavHeader(manifest.SampleRate, (short)manifest.Channels, (short)manifest.BitsPerSample, dataLength);
        string sha256;
        long written;
        await using (var wav = new AssembledWavStream(store, prefix, header, partLengths))
        {
            await store.PutAsync(wavKey, wav, cancellationToken).ConfigureAwait(false);
            written = wav.BytesRead;
            sha256 = Convert.ToHexStringLower(wav.GetSha256());
        }
        if (written != WavHeader.Size + dataLength)
            throw new InvalidDataException($"Assembled {written} bytes for '{wavKey}', expected {WavHeader.Size + dataLength}.");

        var result = new RecordingResult(wavKey, written, header.Duration, sha256, manifest.SampleRate, manifest.Channels, manifest.StartedAt);
        await (manifest with
        {
            Complete = true,
            WavKey = wavKey,
            SizeBytes = written,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Sha256 = sha256,
        }).SaveAsync(store, prefix, cancellationToken).ConfigureAwait(false);
        if (deleteParts)
            await DeletePartsAsync(store, prefix, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Bytes each part slot contributes: full parts before the last stored one (missing ones as silence), then the last as stored.</summary>
    private static async Task<List<long>> PartLengthsAsync(IRecordingStore store, string prefix, RecordingManifest manifest, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<int, long>();
        await foreach (var item in store.ListAsync(RecordingLayout.PartListingPrefix(prefix), cancellationToken).ConfigureAwait(false))
        {
            if (RecordingLayout.TryParsePartNumber(prefix, item.Key, out var number))
                sizes[number] = item.Size;
        }
        var lengths = new List<long>();
        if (sizes.Count == 0)
            return lengths;
        var last = sizes.Keys.Max();
        for (var number = 1; number < last; number++)
            lengths.Add(manifest.PartBytes);
        var lastSize = Math.Min(sizes[last], manifest.PartBytes);
        lengths.Add(lastSize - lastSize % manifest.BytesPerFrame);
        return lengths;
    }

    private static async Task DeletePartsAsync(IRecordingStore store, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var item in store.ListAsync(RecordingLayout.PartListingPrefix(prefix), cancellationToken).ConfigureAwait(false))
        {
            if (RecordingLayout.TryParsePartNumber(prefix, item.Key, out _))
                keys.Add(item.Key);
        }
        foreach (var key in keys)
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }
}
