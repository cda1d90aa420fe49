namespace VoicePlatform.Audio;

/// <summary>
/// Windowed-sinc low-pass design with a Kaiser window (Kaiser's empirical formulas for β and length).
/// Frequencies are in cycles per sample of the rate the filter runs at.
/// </summary>
internal static class KaiserFilterDesign
{
    /// <summary>Kaiser's β for a stopband attenuation of <paramref name="attenuationDb"/> dB.</summary>
    public static double Beta(double attenuationDb) => attenuationDb switch
    {
        > 50 => 0.1102 * (attenuationDb - 8.7),
        >= 21 => (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21)),
        _ => 0,
    };

    /// <summary>Odd tap count (so the delay is a whole number of samples) for the attenuation and transition width.</summary>
    public static int Length(double attenuationDb, double transitionWidth)
    {
        int length = (int)Math.Ceiling((attenuationDb - 7.95) / (14.36 * transitionWidth)) + 1;
        return length | 1;
    }

    /// <summary>
    /// Linear-phase low-pass with cutoff <paramref name="cutoff"/> (−6 dB point) and unit DC gain scaled by
    /// <paramref name="gain"/>; centred at <c>(length − 1) / 2</c>.
    /// </summary>
    public static double[] LowPass(int length, double cutoff, double beta, double gain)
    {
        var taps = new double[length];
        double centre = (length - 1) / 2.0;
        double i0Beta = BesselI0(beta);
        for (int n = 0; n < length; n++)
        {
            double t = n - centre;
            double ratio = t / centre;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / i0Beta;
            taps[n] = gain * 2 * cutoff * Sinc(2 * cutoff * t) * window;
        }

        return taps;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>Zeroth-order modified Bessel function of the first kind (power series; converges fast for β ≤ 20).</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, halfX = x / 2;
        for (int k = 1; k < 200; k++)
        {
            term *= halfX / k;
            double squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
