namespace VoicePlatform.Recordings;

/// <summary>
/// Where caller audio lies on the session timeline, in any unit (the recorder counts frames, the Gateway's speech
/// clock microseconds). A chunk starting within the jitter tolerance after (or anywhere before) the end of the
/// previous one continues it back to back; a later one starts a new run after a silent gap. A microphone never runs
/// faster than real time, so when the audio after such a gap arrives faster than real time (a burst: the sender or the
/// relay stalled and caught up), the gap was a delay, not silence: the run since the gap moves back to close it by as
/// much as it got ahead of its arrival time, but never to before the chunk's arrival − <c>finalizationDelay</c>
/// (the recorder has stored what lies before that). The recording and the user-speech cues both place audio by these
/// rules, so a transcript cue lies where its audio is in the recording, however long the stall was.
/// </summary>
public sealed class CallerAudioLayout(long jitterTolerance, long finalizationDelay)
{
    private long _end = -1; // -1: no caller audio yet
    private long _gapBefore; // silence before the current run which a burst may still close
    private bool _burst; // the run since the gap came faster than real time at least once

    /// <summary>Where the current run (the audio since the last gap) starts.</summary>
    public long RunStart { get; private set; }

    /// <summary>Where the caller audio placed so far ends; -1 before any.</summary>
    public long End => _end;

    /// <summary>
    /// Where a chunk arriving at <paramref name="arrival"/> starts: back to back with the previous one, or (after a gap)
    /// at its arrival but not before <paramref name="floor"/> (audio that can no longer change). True in
    /// <paramref name="newRun"/> when it starts a new run.
    /// </summary>
    public long Start(long arrival, long floor, out bool newRun)
    {
        newRun = _end < 0 || arrival > _end + jitterTolerance;
        if (!newRun) return _end;
        var start = Math.Max(arrival, floor);
        _gapBefore = _end < 0 ? 0 : Math.Max(0, start - _end);
        RunStart = start;
        _burst = false;
        return start;
    }

    /// <summary>
    /// <paramref name="length"/> units arriving at <paramref name="arrival"/> were placed at <paramref name="start"/>
    /// (from <see cref="Start"/>). Returns how far the current run moved earlier to close the gap before it (0 if it
    /// did not), never past <paramref name="floor"/> nor <paramref name="arrival"/> − finalisation delay: the caller
    /// moves the run's audio, which now begins at <see cref="RunStart"/>.
    /// </summary>
    public long Placed(long start, long length, long arrival, long floor)
    {
        _end = start + length;
        var ahead = _end - (arrival + length); // past where real-time audio arriving now would end
        _burst |= ahead > jitterTolerance;
        if (_gapBefore == 0 || !_burst || ahead <= 0) return 0;
        var movableTo = Math.Max(floor, arrival - finalizationDelay);
        var shift = Math.Min(ahead, Math.Min(_gapBefore, RunStart - movableTo));
        if (shift <= 0)
        {
            _gapBefore = 0; // the gap is already final: keep it
            return 0;
        }
        RunStart -= shift;
        _end -= shift;
        _gapBefore -= shift;
        return shift;
    }
}
