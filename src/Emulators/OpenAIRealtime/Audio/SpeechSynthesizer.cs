namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

/// <summary>
/// Deterministic speech-like audio: a 140 Hz voice with four harmonics under a 4 Hz syllable envelope.
/// Each sample is a pure function of its index, so a reply can be produced chunk by chunk (and cut off
/// by a cancel) without keeping the whole waveform; the same text always gives the same bytes.
/// It is loud enough (about -15 dBFS RMS) to trip a default server VAD if a client loops it back.
/// </summary>
internal static class SpeechSynthesizer
{
    private const double Fundamental = 140.0;
    private const double SyllableRate = 4.0;
    private const double Amplitude = 9000.0;
    private const double FadeSeconds = 0.01;
    private static readonly double[] Harmonics = [1.0, 0.55, 0.3, 0.15];
    private static readonly double HarmonicSum = Harmonics.Sum();

    public static long SampleCount(double durationMs, int sampleRate) => (long)Math.Round(durationMs * sampleRate / 1000.0);

    /// <summary>Writes samples <paramref name="start"/>… of a clip of <paramref name="total"/> samples.</summary>
    public static void Render(Span<short> destination, long start, long total, int sampleRate)
    {
        var fadeSamples = FadeSeconds * sampleRate;
        for (var i = 0; i < destination.Length; i++)
        {
            var n = start + i;
            var t = n / (double)sampleRate;
            // Slight pitch drift per syllable keeps it from sounding like a pure tone to a VAD or a human.
            var f0 = Fundamental * (1.0 + 0.08 * Math.Sin(2 * Math.PI * 0.7 * t));
            var voice = 0.0;
            for (var h = 0; h < Harmonics.Length; h++)
            {
                voice += Harmonics[h] * Math.Sin(2 * Math.PI * f0 * (h + 1) * t);
            }
            var syllable = Math.Sin(Math.PI * SyllableRate * t);
            var envelope = 0.25 + 0.75 * syllable * syllable;
            var edge = Math.Min(1.0, Math.Min(n, total - 1 - n) / fadeSamples);
            destination[i] = (short)Math.Clamp(Amplitude * envelope * Math.Max(0, edge) * voice / HarmonicSum * 2.2, short.MinValue, short.MaxValue);
        }
    }
}
