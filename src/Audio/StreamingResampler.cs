using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace VoicePlatform.Audio;

/// <summary>
/// Streaming band-limited sample-rate converter for mono PCM16: a polyphase windowed-sinc (Kaiser) FIR for the
/// reduced ratio L/M, with ≥ 80 dB design stopband starting at the lower rate's Nyquist frequency.
/// </summary>
/// <remarks>
/// Filter history and phase carry across calls and the output depends only on the sample sequence, so any
/// chunking (one sample at a time, odd sizes, …) yields bit-identical output to a single call. The filter
/// bank is shared per ratio; a <see cref="Process(ReadOnlySpan{short}, Span{short})"/> call allocates nothing.
/// One instance per stream; instances are not thread-safe. Output is delayed by <see cref="DelaySamples"/>
/// (the linear-phase filter's group delay) and starts with the filter's warm-up from silence.
/// </remarks>
public sealed class StreamingResampler
{
    private readonly PolyphaseFilterBank? _bank; // null: identity (same rate), plain copy, no delay
    private readonly int _interpolation;
    private readonly int _decimation;
    private readonly int _taps;

    // History of the last K input samples, written twice (at i and i + K) so that the newest K samples are
    // always one contiguous window, history[_writeIndex .. _writeIndex + K), oldest first.
    private readonly float[] _history;

    // Input samples per chunk for the byte overload's stack buffers (keeps them a few KB).
    private readonly int _byteChunkSamples;

    private int _writeIndex;

    // Position of the next output relative to the next input sample, in units of the upsampled rate; in [0, M).
    private int _phase;

    public StreamingResampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;

        int gcd = GreatestCommonDivisor(inputRate, outputRate);
        _interpolation = outputRate / gcd;
        _decimation = inputRate / gcd;
        if (_interpolation == 1 && _decimation == 1)
        {
            _history = [];
            _byteChunkSamples = 1024;
            return;
        }

        _bank = PolyphaseFilterBank.Get(_interpolation, _decimation);
        _taps = _bank.TapsPerPhase;
        _history = new float[2 * _taps];
        _byteChunkSamples = (int)Math.Clamp(2048L * _decimation / _interpolation, 1, 1024);
        DelaySamples = _bank.PrototypeDelay / _decimation;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Group delay in output samples: output sample m represents the input at time m − DelaySamples.</summary>
    public double DelaySamples { get; }

    /// <summary>FIR taps evaluated per output sample (0 for identity): the per-sample cost.</summary>
    public int TapsPerOutputSample => _taps;

    /// <summary>Upper bound of output samples for <paramref name="inputSamples"/> input samples in any state: ⌈n·L/M⌉.</summary>
    public int GetMaxOutputSamples(int inputSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSamples);
        return checked((int)((((long)inputSamples * _interpolation) + _decimation - 1) / _decimation));
    }

    /// <summary>Exact number of samples the next <see cref="Process(ReadOnlySpan{short}, Span{short})"/> call produces for <paramref name="inputSamples"/>.</summary>
    public int GetOutputSampleCount(int inputSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSamples);
        long span = ((long)inputSamples * _interpolation) - _phase;
        return span <= 0 ? 0 : checked((int)((span + _decimation - 1) / _decimation));
    }

    /// <summary>
    /// Resamples <paramref name="input"/> into <paramref name="output"/> and returns the number of samples written.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputSampleCount"/> (nothing is consumed).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int count = GetOutputSampleCount(input.Length);
        if (output.Length < count)
        {
            throw new ArgumentException($"Output needs {count} samples but holds {output.Length}; size it with GetMaxOutputSamples.", nameof(output));
        }

        PolyphaseFilterBank? bank = _bank;
        if (bank is null)
        {
            input.CopyTo(output);
            return input.Length;
        }

        int taps = _taps;
        int interpolation = _interpolation;
        int decimation = _decimation;
        float[] history = _history;
        int writeIndex = _writeIndex;
        int phase = _phase;
        int written = 0;

        foreach (short sample in input)
        {
            history[writeIndex] = sample;
            history[writeIndex + taps] = sample;
            writeIndex = writeIndex + 1 == taps ? 0 : writeIndex + 1;

            // Emit every output whose position falls before the next input sample.
            if (phase < interpolation)
            {
                ReadOnlySpan<float> window = history.AsSpan(writeIndex, taps);
                do
                {
                    output[written++] = Saturate(Dot(window, bank.Phase(phase)));
                    phase += decimation;
                }
                while (phase < interpolation);
            }

            phase -= interpolation;
        }

        _writeIndex = writeIndex;
        _phase = phase;
        return written;
    }

    /// <summary>
    /// Resamples little-endian PCM16 bytes. <paramref name="input"/> must hold whole samples (the streaming
    /// <see cref="AudioTranscoder"/> handles samples split across network chunks). Returns bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">Odd input length, or <paramref name="output"/> too short (nothing is consumed).</exception>
    public int Process(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if ((input.Length & 1) != 0)
        {
            throw new ArgumentException("PCM16 input must hold whole 2-byte samples.", nameof(input));
        }

        int count = GetOutputSampleCount(input.Length / 2);
        if (output.Length < count * 2)
        {
            throw new ArgumentException($"Output needs {count * 2} bytes but holds {output.Length}.", nameof(output));
        }

        // Stack scratch keeps this allocation-free and endian-correct; the copy is noise next to the FIR.
        Span<short> samplesIn = stackalloc short[_byteChunkSamples];
        Span<short> samplesOut = stackalloc short[GetMaxOutputSamples(_byteChunkSamples)];
        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _byteChunkSamples * 2);
            int n = Pcm16.Decode(input[..take], samplesIn);
            int produced = Process(samplesIn[..n], samplesOut);
            written += Pcm16.Encode(samplesOut[..produced], output[written..]);
            input = input[take..];
        }

        return written;
    }

    /// <summary>Forgets the history (back to silence) and phase, as for a new stream.</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _writeIndex = 0;
        _phase = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    private static float Dot(ReadOnlySpan<float> window, ReadOnlySpan<float> coefficients)
    {
        // Both lengths are whole vectors (the bank pads them), so there is no scalar tail. The summation
        // order is fixed by the tap index alone, which is what makes chunked output bit-identical.
        ReadOnlySpan<Vector<float>> x = MemoryMarshal.Cast<float, Vector<float>>(window);
        ReadOnlySpan<Vector<float>> h = MemoryMarshal.Cast<float, Vector<float>>(coefficients);
        Vector<float> accumulator = Vector<float>.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            accumulator += x[i] * h[i];
        }

        return Vector.Sum(accumulator);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    private static short Saturate(float value) =>
        (short)Math.Clamp(MathF.Round(value), short.MinValue, short.MaxValue);

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
