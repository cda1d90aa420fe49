using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Router-side energy VAD on the 16 kHz stream sent to Gemini, with Gemini-style parameters: RMS over 20 ms frames on
/// audio time; speech starts after <see cref="SpeechDetectorOptions.StartConfirmationMs"/> of frames above the start
/// threshold (Gemini's <c>prefixPaddingMs</c>), is reported from OpenAI's <c>prefix_padding_ms</c> before its onset, and ends after
/// <c>silenceDurationMs</c> of frames below the end threshold (3 dB lower). It mirrors the automatic activity detection
/// the connector configures upstream, so speech_started / speech_stopped carry audio offsets at the points Gemini
/// decides. Allocation-free per chunk.
/// </summary>
internal sealed class SpeechDetector
{
    public const int SampleRate = 16000;
    private const int FrameSamples = SampleRate / 50;
    private const int FrameMs = 20;

    private readonly double _startThreshold;
    private readonly double _endThreshold;
    private readonly int _prefixFrames;
    private readonly int _silenceFrames;
    private readonly short[] _partial = new short[FrameSamples];
    private int _partialCount;
    private int _voicedRun;
    private int _silentRun;
    private long _frameIndex;
    private long _speechStartFrame;
    private readonly int _reportedPaddingMs;

    public SpeechDetector(TurnDetectionSettings turn, SpeechDetectorOptions options, long startFrame)
    {
        _startThreshold = options.ThresholdDbfs + turn.StartSensitivity switch
        {
            "START_SENSITIVITY_HIGH" => -options.SensitivityStepDb,
            "START_SENSITIVITY_LOW" => options.SensitivityStepDb,
            _ => 0,
        };
        _endThreshold = _startThreshold - 3 + turn.EndSensitivity switch
        {
            "END_SENSITIVITY_HIGH" => options.SensitivityStepDb / 2,
            "END_SENSITIVITY_LOW" => -options.SensitivityStepDb / 2,
            _ => 0,
        };
        _prefixFrames = Math.Max(1, (int)Math.Ceiling(options.StartConfirmationMs / (double)FrameMs));
        _reportedPaddingMs = turn.EffectivePrefixPaddingMs;
        _silenceFrames = Math.Max(1, (int)Math.Ceiling(turn.EffectiveSilenceMs / (double)FrameMs));
        _frameIndex = startFrame;
    }

    public bool InSpeech { get; private set; }

    /// <summary>Frames seen so far (the 20 ms audio clock).</summary>
    public long FrameIndex => _frameIndex;

    /// <summary>Feeds PCM16 LE at 16 kHz (whole samples); appends the transitions it caused to <paramref name="events"/>.</summary>
    public void Process(ReadOnlySpan<byte> pcm, List<SpeechEvent> events)
    {
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        if (_partialCount > 0)
        {
            var take = Math.Min(FrameSamples - _partialCount, samples.Length);
            samples[..take].CopyTo(_partial.AsSpan(_partialCount));
            _partialCount += take;
            samples = samples[take..];
            if (_partialCount < FrameSamples)
            {
                return;
            }

            ProcessFrame(_partial, events);
            _partialCount = 0;
        }

        while (samples.Length >= FrameSamples)
        {
            ProcessFrame(samples[..FrameSamples], events);
            samples = samples[FrameSamples..];
        }

        samples.CopyTo(_partial);
        _partialCount = samples.Length;
    }

    /// <summary>Ends an open speech segment now (input_audio_buffer.commit / clear with server VAD).</summary>
    public SpeechEvent? ForceEnd()
    {
        if (!InSpeech)
        {
            return null;
        }

        InSpeech = false;
        _voicedRun = 0;
        _silentRun = 0;
        return new SpeechEvent(false, _frameIndex * FrameMs);
    }

    private void ProcessFrame(ReadOnlySpan<short> frame, List<SpeechEvent> events)
    {
        var db = Dbfs(frame);
        if (!InSpeech)
        {
            if (db >= _startThreshold)
            {
                if (++_voicedRun >= _prefixFrames)
                {
                    InSpeech = true;
                    _speechStartFrame = _frameIndex - _voicedRun + 1;
                    _silentRun = 0;
                    // OpenAI semantics: audio_start_ms includes the prefix padding kept before the onset.
                    events.Add(new SpeechEvent(true, Math.Max(0, _speechStartFrame * FrameMs - _reportedPaddingMs)));
                }
            }
            else
            {
                _voicedRun = 0;
            }
        }
        else if (db >= _endThreshold)
        {
            _silentRun = 0;
        }
        else if (++_silentRun >= _silenceFrames)
        {
            InSpeech = false;
            _voicedRun = 0;
            _silentRun = 0;
            events.Add(new SpeechEvent(false, (_frameIndex + 1) * FrameMs));
        }

        _frameIndex++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    private static double Dbfs(ReadOnlySpan<short> frame)
    {
        double sum = 0;
        foreach (var s in frame)
        {
            sum += (double)s * s;
        }

        var rms = Math.Sqrt(sum / frame.Length) / 32768.0;
        return rms <= 1e-9 ? -180 : 20 * Math.Log10(rms);
    }
}

/// <summary>A VAD transition: <paramref name="Started"/> at <paramref name="AudioMs"/> (speech start, or end incl. silence).</summary>
internal readonly record struct SpeechEvent(bool Started, long AudioMs);
