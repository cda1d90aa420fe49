namespace VoicePlatform.Audio;

/// <summary>
/// Streaming converter between two <see cref="AudioFormat"/>s: decode (G.711 or PCM16 bytes) → resample →
/// encode. Typical use is client format → PCM16 at the model's rate and back, e.g. <c>audio/pcmu</c> 8 kHz →
/// PCM16 16 kHz for Gemini, and PCM16 24 kHz → <c>audio/pcmu</c> for the reply.
/// </summary>
/// <remarks>
/// Keeps resampler state and a PCM16 sample split across network chunks (odd byte counts), so a stream can be
/// fed in arbitrary pieces. Allocation-free per call. One instance per stream and direction; not thread-safe.
/// </remarks>
public sealed class AudioTranscoder
{
    // Samples decoded per pass into stack buffers; bounds stack use to a few KB whatever the ratio.
    private const int MaxChunkSamples = 512;
    private const int MaxChunkOutputSamples = 2048;

    private readonly StreamingResampler? _resampler; // null when the rates match
    private readonly int _chunkSamples;
    private readonly int _chunkOutputSamples;
    private int _pendingByte = -1; // low byte of a PCM16 sample whose high byte has not arrived yet

    public AudioTranscoder(AudioFormat source, AudioFormat target)
    {
        source.EnsureValid();
        target.EnsureValid();
        Source = source;
        Target = target;
        if (source.SampleRate != target.SampleRate)
        {
            _resampler = new StreamingResampler(source.SampleRate, target.SampleRate);
        }

        _chunkSamples = (int)Math.Clamp((long)MaxChunkOutputSamples * source.SampleRate / target.SampleRate, 1, MaxChunkSamples);
        _chunkOutputSamples = _resampler?.GetMaxOutputSamples(_chunkSamples) ?? _chunkSamples;
    }

    public AudioFormat Source { get; }

    public AudioFormat Target { get; }

    /// <summary>Group delay added by resampling, in samples of the target rate (0 when the rates match).</summary>
    public double DelaySamples => _resampler?.DelaySamples ?? 0;

    /// <summary>Upper bound of output bytes for <paramref name="inputBytes"/> input bytes, in any state.</summary>
    public int GetMaxOutputBytes(int inputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputBytes);
        // PCM16 may hold one byte over from the previous call.
        int samples = Source.Encoding == AudioEncoding.Pcm16 ? (int)(((long)inputBytes + 1) / 2) : inputBytes;
        return checked((_resampler?.GetMaxOutputSamples(samples) ?? samples) * Target.BytesPerSample);
    }

    /// <summary>Exact number of bytes the next <see cref="Transcode"/> call writes for <paramref name="inputBytes"/>.</summary>
    public int GetOutputByteCount(int inputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputBytes);
        int samples = InputSampleCount(inputBytes);
        return checked((_resampler?.GetOutputSampleCount(samples) ?? samples) * Target.BytesPerSample);
    }

    /// <summary>Converts the next piece of the stream and returns the number of bytes written to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputByteCount"/> (nothing is consumed).</exception>
    public int Transcode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int needed = GetOutputByteCount(input.Length);
        if (output.Length < needed)
        {
            throw new ArgumentException($"Output needs {needed} bytes but holds {output.Length}; size it with GetMaxOutputBytes.", nameof(output));
        }

        Span<short> decoded = stackalloc short[_chunkSamples];
        Span<short> resampled = _resampler is null ? default : stackalloc short[_chunkOutputSamples];
        int written = 0;

        if (_pendingByte >= 0 && !input.IsEmpty)
        {
            decoded[0] = (short)(_pendingByte | (input[0] << 8));
            _pendingByte = -1;
            input = input[1..];
            written += Emit(decoded[..1], resampled, output[written..]);
        }

        int bytesPerSample = Source.BytesPerSample;
        while (input.Length >= bytesPerSample)
        {
            int n = Math.Min(_chunkSamples, input.Length / bytesPerSample);
            int take = n * bytesPerSample;
            Decode(input[..take], decoded);
            input = input[take..];
            written += Emit(decoded[..n], resampled, output[written..]);
        }

        if (!input.IsEmpty)
        {
            _pendingByte = input[0]; // only PCM16 can leave a single byte over
        }

        return written;
    }

    /// <summary>Drops filter history and any half-received sample, as for a new stream.</summary>
    public void Reset()
    {
        _resampler?.Reset();
        _pendingByte = -1;
    }

    private int InputSampleCount(int inputBytes) =>
        Source.Encoding == AudioEncoding.Pcm16
            ? (int)((inputBytes + (_pendingByte >= 0 ? 1L : 0L)) / 2)
            : inputBytes;

    private int Emit(ReadOnlySpan<short> samples, Span<short> resampled, Span<byte> output)
    {
        if (_resampler is not null)
        {
            int produced = _resampler.Process(samples, resampled);
            samples = resampled[..produced];
        }

        return Target.Encoding switch
        {
            AudioEncoding.Pcmu => MuLaw.Encode(samples, output),
            AudioEncoding.Pcma => ALaw.Encode(samples, output),
            _ => Pcm16.Encode(samples, output),
        };
    }

    private void Decode(ReadOnlySpan<byte> input, Span<short> samples)
    {
        switch (Source.Encoding)
        {
            case AudioEncoding.Pcmu:
                MuLaw.Decode(input, samples);
                break;
            case AudioEncoding.Pcma:
                ALaw.Decode(input, samples);
                break;
            default:
                Pcm16.Decode(input, samples);
                break;
        }
    }
}
