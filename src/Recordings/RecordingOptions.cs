namespace VoicePlatform.Recordings;

/// <summary>Tuning for <see cref="StereoCallRecorder"/>. The defaults suit a 24 kHz OpenAI Realtime session.</summary>
public sealed record RecordingOptions
{
    /// <summary>Sample rate of the recording and of every appended chunk (PCM16 mono in, PCM16 stereo out).</summary>
    public int SampleRate { get; init; } = 24_000;

    /// <summary>
    /// A caller chunk starting no later than this after the end of the previous caller chunk continues it
    /// back to back; a larger gap is real silence and is kept. Absorbs network jitter without smearing pauses.
    /// </summary>
    public TimeSpan CallerJitterTolerance { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How far behind "now" audio stays editable before it is finalised. Assistant audio can still be truncated
    /// (barge-in) until the client reports where playback stopped, which arrives a little after the fact.
    /// A truncation pointing further back than this can no longer remove already finalised audio.
    /// </summary>
    public TimeSpan FinalizationDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Length of each stored part. A crash loses at most about this much plus <see cref="FinalizationDelay"/>;
    /// shorter parts mean more, smaller objects.
    /// </summary>
    public TimeSpan PartDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The furthest ahead of the finalised position audio may be scheduled (assistant audio arrives faster than
    /// real time). Audio beyond is dropped and counted in <see cref="StereoCallRecorder.DroppedFrames"/>.
    /// Bounds the recorder's memory: about 4 bytes per frame of this window in the worst case.
    /// </summary>
    public TimeSpan MaxScheduledAhead { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Wall-clock time of the timeline's zero, kept in the manifest and the result so the segments of a session that
    /// was resumed elsewhere line up (<see cref="SegmentedRecordingReader"/>). Optional.
    /// </summary>
    public DateTimeOffset? TimelineStart { get; init; }

    /// <summary>Delete the part objects once the final WAV is stored.</summary>
    public bool DeletePartsAfterCompletion { get; init; } = true;

    internal void Validate()
    {
        if (SampleRate is < 1_000 or > 192_000)
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "Sample rate must be 1 kHz – 192 kHz.");
        if (CallerJitterTolerance < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CallerJitterTolerance));
        if (FinalizationDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(FinalizationDelay));
        if (PartDuration < TimeSpan.FromMilliseconds(100) || PartDuration > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException(nameof(PartDuration), PartDuration, "Part duration must be 100 ms – 10 min.");
        if (MaxScheduledAhead < TimeSpan.FromSeconds(1) || MaxScheduledAhead > TimeSpan.FromMinutes(30))
            throw new ArgumentOutOfRangeException(nameof(MaxScheduledAhead), MaxScheduledAhead, "Must be 1 s – 30 min.");
    }

    internal long ToFrames(TimeSpan time) => TimelineClock.ToFrames(time, SampleRate);
}
