namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

internal enum VadEventKind
{
    None,
    SpeechStarted,
    SpeechStopped,
    IdleTimeout,
}

/// <summary>A VAD decision at an absolute position (ticks of 1/24000 s since the session's first audio).</summary>
internal readonly record struct VadEvent(VadEventKind Kind, long Tick);

/// <summary>
/// Energy-based voice activity detection over 10 ms frames of decoded input audio.
/// <c>threshold</c> (0..1) maps linearly onto a frame RMS level from -60 dBFS (0) to -10 dBFS (1);
/// the default 0.5 is -35 dBFS, so speech at conversational level trips it and silence or faint noise does not.
/// Speech starts at the first loud frame and stops once <c>silence_duration_ms</c> of quiet frames follow;
/// the stop position includes that silence, like the real <c>audio_end_ms</c>.
/// </summary>
internal sealed class EnergyVad
{
    private const int FrameTicks = 240; // 10 ms

    private readonly int _frameSamples;
    private readonly int _ticksPerSample;
    private readonly double _thresholdMeanSquare;
    private readonly long _silenceTicks;
    private readonly long _idleTicks;

    private double _sumSquares;
    private int _frameFill;
    private long _tick;            // position of the next sample
    private bool _inSpeech;
    private long _silenceRun;
    private long? _idleDeadline;

    public EnergyVad(AudioFormat format, double threshold, int silenceDurationMs, int? idleTimeoutMs, long startTick)
    {
        _frameSamples = format.SampleRate / 100;
        _ticksPerSample = format.TicksPerSample;
        var thresholdDb = -60.0 + 50.0 * Math.Clamp(threshold, 0, 1);
        _thresholdMeanSquare = 32768.0 * 32768.0 * Math.Pow(10, thresholdDb / 10);
        _silenceTicks = Math.Max(FrameTicks, (long)silenceDurationMs * AudioFormat.TicksPerMs);
        _idleTicks = idleTimeoutMs is { } idle ? (long)idle * AudioFormat.TicksPerMs : 0;
        _tick = startTick;
    }

    public bool InSpeech => _inSpeech;

    /// <summary>Starts the idle timer (after a response finished); it fires if no speech follows in time.</summary>
    public void ArmIdleTimer(long fromTick)
    {
        if (_idleTicks > 0)
        {
            _idleDeadline = fromTick + _idleTicks;
        }
    }

    /// <summary>Feeds samples until the first event; <paramref name="consumed"/> says how far it got.</summary>
    public VadEvent Process(ReadOnlySpan<short> samples, out int consumed)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            double s = samples[i];
            _sumSquares += s * s;
            _tick += _ticksPerSample;
            if (++_frameFill < _frameSamples)
            {
                continue;
            }

            var loud = _sumSquares / _frameFill >= _thresholdMeanSquare;
            _sumSquares = 0;
            _frameFill = 0;
            var frameEnd = _tick;
            var evt = Decide(loud, frameEnd);
            if (evt.Kind != VadEventKind.None)
            {
                consumed = i + 1;
                return evt;
            }
        }
        consumed = samples.Length;
        return default;
    }

    private VadEvent Decide(bool loud, long frameEnd)
    {
        if (!_inSpeech)
        {
            if (loud)
            {
                _inSpeech = true;
                _silenceRun = 0;
                _idleDeadline = null;
                return new VadEvent(VadEventKind.SpeechStarted, frameEnd - FrameTicks);
            }
            if (_idleDeadline is { } deadline && frameEnd >= deadline)
            {
                _idleDeadline = null;
                return new VadEvent(VadEventKind.IdleTimeout, frameEnd);
            }
            return default;
        }

        if (loud)
        {
            _silenceRun = 0;
            return default;
        }
        _silenceRun += FrameTicks;
        if (_silenceRun >= _silenceTicks)
        {
            _inSpeech = false;
            return new VadEvent(VadEventKind.SpeechStopped, frameEnd);
        }
        return default;
    }
}
