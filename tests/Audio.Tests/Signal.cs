namespace VoicePlatform.Audio.Tests;

/// <summary>Test-signal generation and measurement helpers.</summary>
internal static class Signal
{
    public const double HalfScale = 16384;

    /// <summary>Quantised sine: amplitude·sin(2π f n / rate), rounded to PCM16.</summary>
    public static short[] Tone(double frequency, int sampleRate, int length, double amplitude = HalfScale)
    {
        var samples = new short[length];
        for (int n = 0; n < length; n++)
        {
            samples[n] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));
        }

        return samples;
    }

    /// <summary>
    /// SNR in dB of <paramref name="actual"/>[from..to) against the ideal continuous tone delayed by
    /// <paramref name="delaySamples"/> (fractional): any gain, phase or delay error counts as noise.
    /// </summary>
    public static double SnrAgainstTone(ReadOnlySpan<short> actual, double frequency, int sampleRate, double delaySamples, int from, int to, double amplitude = HalfScale)
    {
        double signal = 0, noise = 0;
        for (int n = from; n < to; n++)
        {
            double expected = amplitude * Math.Sin(2 * Math.PI * frequency * (n - delaySamples) / sampleRate);
            double error = actual[n] - expected;
            signal += expected * expected;
            noise += error * error;
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-12));
    }

    /// <summary>
    /// Least-squares fit of a sinusoid at <paramref name="frequency"/> over [from..to); returns the fitted
    /// tone's power and the residual power (everything that is not that tone: images, aliases, noise).
    /// </summary>
    public static (double TonePower, double ResidualPower) FitTone(ReadOnlySpan<short> samples, double frequency, int sampleRate, int from, int to)
    {
        double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
        for (int n = from; n < to; n++)
        {
            double w = 2 * Math.PI * frequency * n / sampleRate;
            double s = Math.Sin(w), c = Math.Cos(w);
            ss += s * s;
            sc += s * c;
            cc += c * c;
            ys += samples[n] * s;
            yc += samples[n] * c;
        }

        double det = (ss * cc) - (sc * sc);
        double a = ((ys * cc) - (yc * sc)) / det;
        double b = ((yc * ss) - (ys * sc)) / det;
        double tone = 0, residual = 0;
        for (int n = from; n < to; n++)
        {
            double w = 2 * Math.PI * frequency * n / sampleRate;
            double fitted = (a * Math.Sin(w)) + (b * Math.Cos(w));
            tone += fitted * fitted;
            residual += (samples[n] - fitted) * (samples[n] - fitted);
        }

        int count = to - from;
        return (tone / count, residual / count);
    }

    public static double MeanPower(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return sum / samples.Length;
    }

    public static double Db(double powerRatio) => 10 * Math.Log10(powerRatio);

    /// <summary>Runs a whole buffer through <paramref name="resampler"/> in one call.</summary>
    public static short[] Resample(StreamingResampler resampler, ReadOnlySpan<short> input)
    {
        var output = new short[resampler.GetMaxOutputSamples(input.Length)];
        int written = resampler.Process(input, output);
        return output[..written];
    }

    /// <summary>Runs <paramref name="input"/> through in pieces whose sizes come from <paramref name="nextSize"/>.</summary>
    public static short[] ResampleChunked(StreamingResampler resampler, ReadOnlySpan<short> input, Func<int> nextSize)
    {
        var output = new short[resampler.GetMaxOutputSamples(input.Length)];
        int read = 0, written = 0;
        while (read < input.Length)
        {
            int size = Math.Min(nextSize(), input.Length - read);
            int expected = resampler.GetOutputSampleCount(size);
            int produced = resampler.Process(input.Slice(read, size), output.AsSpan(written));
            Assert.Equal(expected, produced);
            read += size;
            written += produced;
        }

        return output[..written];
    }
}
