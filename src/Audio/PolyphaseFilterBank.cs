using System.Collections.Concurrent;
using System.Numerics;

namespace VoicePlatform.Audio;

/// <summary>
/// Immutable polyphase decomposition of the anti-alias/anti-image low-pass for a rational ratio L/M
/// (upsample by L, filter, keep every M-th). Built once per reduced ratio and shared by every
/// <see cref="StreamingResampler"/>: sessions use a handful of ratios, and a bank costs ~100k flops to design.
/// </summary>
internal sealed class PolyphaseFilterBank
{
    /// <summary>Stopband attenuation the prototype is designed for; 20 dB of margin over the 60 dB requirement.</summary>
    public const double StopbandAttenuationDb = 80;

    /// <summary>
    /// Transition band as a fraction of the lower Nyquist frequency. The stopband starts exactly at that Nyquist
    /// (nothing aliases); the passband ends at 85 % of it (6.8 kHz at 16 kHz, 3.4 kHz at 8 kHz, the telephony band edge).
    /// </summary>
    public const double TransitionFraction = 0.15;

    /// <summary>Guard against absurd ratios (e.g. 8001:8000) whose bank would need megabytes.</summary>
    private const int MaxPrototypeLength = 1 << 21;

    private static readonly ConcurrentDictionary<(int L, int M), Lazy<PolyphaseFilterBank>> Cache = new();

    private readonly float[] _coefficients;

    private PolyphaseFilterBank(int interpolation, int decimation)
    {
        Interpolation = interpolation;
        Decimation = decimation;

        // Normalised to the upsampled rate L·fin: the lower of the two Nyquists is 0.5 / max(L, M).
        double nyquist = 0.5 / Math.Max(interpolation, decimation);
        double transition = TransitionFraction * nyquist;
        double cutoff = nyquist - (transition / 2);
        int length = KaiserFilterDesign.Length(StopbandAttenuationDb, transition);
        if (length > MaxPrototypeLength)
        {
            throw new ArgumentException($"Resampling ratio {interpolation}:{decimation} needs a {length}-tap filter; use simpler rates.");
        }

        double[] prototype = KaiserFilterDesign.LowPass(length, cutoff, KaiserFilterDesign.Beta(StopbandAttenuationDb), interpolation);
        PrototypeDelay = (length - 1) / 2.0;

        // Pad each phase to whole SIMD vectors so the dot product has no scalar tail; the padding
        // sits on the oldest-sample side and is zero.
        int vector = Vector<float>.Count;
        int perPhase = (length + interpolation - 1) / interpolation;
        TapsPerPhase = (perPhase + vector - 1) / vector * vector;

        // Phase p holds h[p + k·L] for k = K-1 .. 0, i.e. reversed, so it lines up with a history window
        // stored oldest → newest. Each phase is normalised to exactly unit DC gain: this removes the small
        // per-phase gain ripple (a tone at fout/L·k otherwise) that truncating the prototype leaves.
        _coefficients = new float[interpolation * TapsPerPhase];
        for (int phase = 0; phase < interpolation; phase++)
        {
            double sum = 0;
            for (int k = 0; k < TapsPerPhase; k++)
            {
                int n = phase + (k * interpolation);
                sum += n < length ? prototype[n] : 0;
            }

            Span<float> target = _coefficients.AsSpan(phase * TapsPerPhase, TapsPerPhase);
            for (int k = 0; k < TapsPerPhase; k++)
            {
                int n = phase + (k * interpolation);
                target[TapsPerPhase - 1 - k] = n < length ? (float)(prototype[n] / sum) : 0f;
            }
        }
    }

    /// <summary>L: upsampling factor of the reduced ratio.</summary>
    public int Interpolation { get; }

    /// <summary>M: downsampling factor of the reduced ratio.</summary>
    public int Decimation { get; }

    /// <summary>Taps applied per output sample (a multiple of <see cref="Vector{T}.Count"/>).</summary>
    public int TapsPerPhase { get; }

    /// <summary>Group delay of the linear-phase prototype, in samples of the upsampled rate L·fin.</summary>
    public double PrototypeDelay { get; }

    /// <summary>Returns the shared bank for <paramref name="interpolation"/>:<paramref name="decimation"/> (must be coprime).</summary>
    public static PolyphaseFilterBank Get(int interpolation, int decimation) =>
        Cache.GetOrAdd(
            (interpolation, decimation),
            static key => new Lazy<PolyphaseFilterBank>(
                () => new PolyphaseFilterBank(key.L, key.M),
                LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Coefficients of one phase, ordered to match a history window stored oldest → newest.</summary>
    public ReadOnlySpan<float> Phase(int phase) => _coefficients.AsSpan(phase * TapsPerPhase, TapsPerPhase);
}
