namespace VoicePlatform.TestSupport.Realtime;

/// <summary>Test signals: a voiced tone (clearly above the default VAD threshold) and digital silence.</summary>
public static class TestAudio
{
    public static short[] Tone(int ms, int sampleRate = 24000, double amplitude = 8000, double frequency = 220)
    {
        var samples = new short[ms * sampleRate / 1000];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i / (double)sampleRate;
            samples[i] = (short)(amplitude * (0.7 * Math.Sin(2 * Math.PI * frequency * t) + 0.3 * Math.Sin(2 * Math.PI * 2 * frequency * t)));
        }
        return samples;
    }

    public static short[] Silence(int ms, int sampleRate = 24000) => new short[ms * sampleRate / 1000];

    public static byte[] Pcm16(params short[][] parts)
    {
        var samples = parts.SelectMany(p => p).ToArray();
        var bytes = new byte[samples.Length * 2];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>G.711 μ-law per the ITU reference algorithm, written independently of the emulator's table-driven codec.</summary>
    public static byte[] MuLaw(params short[][] parts)
    {
        var samples = parts.SelectMany(p => p).ToArray();
        var result = new byte[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            int pcm = samples[i];
            var sign = pcm < 0 ? 0x80 : 0;
            var magnitude = Math.Min(Math.Abs(pcm), 32635) + 0x84;
            var exponent = 7;
            for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
            {
                exponent--;
            }
            var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
            result[i] = (byte)~(sign | (exponent << 4) | mantissa);
        }
        return result;
    }
}
