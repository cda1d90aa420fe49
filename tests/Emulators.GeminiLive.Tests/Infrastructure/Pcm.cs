namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>Generated PCM16 LE mono test audio.</summary>
internal static class Pcm
{
    public static byte[] Tone(double seconds, int rate = 16000, double amplitude = 0.3, double frequency = 220)
    {
        var samples = (int)Math.Round(seconds * rate);
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(Math.Sin(2 * Math.PI * frequency * i / rate) * amplitude * short.MaxValue);
            pcm[2 * i] = (byte)value;
            pcm[2 * i + 1] = (byte)(value >> 8);
        }

        return pcm;
    }

    public static byte[] Silence(double seconds, int rate = 16000) => new byte[(int)Math.Round(seconds * rate) * 2];

    public static byte[] Constant(int samples, short value)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            pcm[2 * i] = (byte)value;
            pcm[2 * i + 1] = (byte)(value >> 8);
        }

        return pcm;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A pattern unique to <paramref name="seed"/>, so a duplicated or missing chunk is visible in a record.</summary>
    public static byte[] Ramp(int samples, int seed)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(seed * 7919 + i * 13);
            pcm[2 * i] = (byte)value;
            pcm[2 * i + 1] = (byte)(value >> 8);
        }

        return pcm;
    }
}
