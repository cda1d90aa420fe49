using System.Runtime.InteropServices;

namespace VoicePlatform.Emulators.GeminiLive.Audio;

/// <summary>
/// Energy-based voice activity detection on 20 ms frames, driven by audio time (not wall time) so
/// it is deterministic: speech starts after PrefixPadding of frames above the threshold and ends
/// after SilenceDuration of frames below the (lower) end threshold.
/// </summary>
internal sealed class EnergyVad
{
    private readonly double _startThreshold;
    private readonly double _endThreshold;
    private readonly int _prefixFrames;
    private readonly int _silenceFrames;
    private int _sampleRate;
    private int _frameSize;
    private readonly List<short> _partial = [];
    private int _voicedRun;
    private int _silentRun;
    private long _frameIndex;
    private long _speechStartFrame;
    private long _lastVoicedFrame;

    public EnergyVad(double startThresholdDbfs, double endThresholdDbfs, int prefixPaddingMs, int silenceDurationMs)
    {
        _startThreshold = startThresholdDbfs;
        _endThreshold = endThresholdDbfs;
        _prefixFrames = Math.Max(1, (int)Math.Ceiling(prefixPaddingMs / 20.0));
        _silenceFrames = Math.Max(1, (int)Math.Ceiling(silenceDurationMs / 20.0));
        SetRate(16000);
    }

    public bool InSpeech { get; private set; }

    /// <summary>Feeds PCM16 LE audio; returns the events it caused, in order.</summary>
    public List<VadEvent> Process(ReadOnlySpan<byte> pcm, int sampleRate)
    {
        if (sampleRate != _sampleRate)
        {
            SetRate(sampleRate);
        }

        var events = new List<VadEvent>();
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        var offset = 0;
        if (_partial.Count > 0)
        {
            var take = Math.Min(_frameSize - _partial.Count, samples.Length);
            foreach (var s in samples[..take])
            {
                _partial.Add(s);
            }

            offset = take;
            if (_partial.Count == _frameSize)
            {
                ProcessFrame(CollectionsMarshal.AsSpan(_partial), events);
                _partial.Clear();
            }
        }

        while (samples.Length - offset >= _frameSize)
        {
            ProcessFrame(samples.Slice(offset, _frameSize), events);
            offset += _frameSize;
        }

        foreach (var s in samples[offset..])
        {
            _partial.Add(s);
        }

        return events;
    }

    /// <summary>audioStreamEnd flushes: an open speech segment ends now.</summary>
    public VadEvent? Flush()
    {
        _partial.Clear();
        return InSpeech ? EndSpeech() : null;
    }

    private void SetRate(int sampleRate)
    {
        _sampleRate = sampleRate;
        _frameSize = sampleRate / 50;
        _partial.Clear();
    }

    private void ProcessFrame(ReadOnlySpan<short> frame, List<VadEvent> events)
    {
        var db = Dbfs(frame);
        if (!InSpeech)
        {
            if (db >= _startThreshold)
            {
                _voicedRun++;
                if (_voicedRun >= _prefixFrames)
                {
                    InSpeech = true;
                    _speechStartFrame = _frameIndex - _voicedRun + 1;
                    _lastVoicedFrame = _frameIndex;
                    _silentRun = 0;
                    events.Add(new VadEvent(VadEventKind.SpeechStarted, 0));
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
            _lastVoicedFrame = _frameIndex;
        }
        else if (++_silentRun >= _silenceFrames)
        {
            events.Add(EndSpeech());
        }

        _frameIndex++;
    }

    private VadEvent EndSpeech()
    {
        InSpeech = false;
        _voicedRun = 0;
        _silentRun = 0;
        var frames = _lastVoicedFrame - _speechStartFrame + 1;
        return new VadEvent(VadEventKind.SpeechEnded, frames * 0.02);
    }

    private static double Dbfs(ReadOnlySpan<short> frame)
    {
        double sum = 0;
        foreach (var s in frame)
        {
            sum += (double)s * s;
        }

        var rms = Math.Sqrt(sum / Math.Max(1, frame.Length)) / 32768.0;
        return rms <= 1e-9 ? -180 : 20 * Math.Log10(rms);
    }
}

internal enum VadEventKind
{
    SpeechStarted,
    SpeechEnded,
}

/// <summary>SpeechSeconds is the length of the detected speech (first to last voiced frame) on SpeechEnded.</summary>
internal readonly record struct VadEvent(VadEventKind Kind, double SpeechSeconds);
