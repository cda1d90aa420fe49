namespace VoicePlatform.Recordings;

/// <summary>Conversions between session-timeline time and sample frames.</summary>
internal static class TimelineClock
{
    /// <summary>Nearest frame; negative times clamp to 0 (the session timeline starts at zero).</summary>
    public static long ToFrames(TimeSpan time, int sampleRate) =>
        time <= TimeSpan.Zero ? 0 : (time.Ticks * sampleRate + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond;

    public static TimeSpan ToTime(long frames, int sampleRate) =>
        TimeSpan.FromTicks(frames * TimeSpan.TicksPerSecond / sampleRate);
}
