using System.Buffers.Binary;
using System.Text;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>WAV files the tests say and read back, written and parsed here independently of the tool's own code.</summary>
public static class TestWav
{
    /// <summary>
    /// A 16-bit PCM WAV at <paramref name="sampleRate"/> with <paramref name="channels"/> channels: <paramref name="leadingMs"/> of
    /// silence, <paramref name="toneMs"/> of a speech-like 220 Hz tone with harmonics (well above the emulators' energy VAD
    /// threshold), then <paramref name="trailingMs"/> of silence.
    /// </summary>
    public static byte[] Tone(int sampleRate, int channels, int leadingMs, int toneMs, int trailingMs)
    {
        var frames = (leadingMs + toneMs + trailingMs) * sampleRate / 1000;
        var toneStart = leadingMs * sampleRate / 1000;
        var toneEnd = toneStart + toneMs * sampleRate / 1000;
        var data = new byte[frames * channels * 2];
        for (var i = 0; i < frames; i++)
        {
            var t = i / (double)sampleRate;
            var value = i >= toneStart && i < toneEnd
                ? (short)(8000 * (0.7 * Math.Sin(2 * Math.PI * 220 * t) + 0.3 * Math.Sin(2 * Math.PI * 440 * t)))
                : (short)0;
            for (var c = 0; c < channels; c++) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan((i * channels + c) * 2), value);
        }
        return Wav(data, sampleRate, channels);
    }

    public static byte[] Wav(byte[] data, int sampleRate, int channels)
    {
        var wav = new byte[44 + data.Length];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(wav, 0);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + data.Length);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(wav, 8);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), sampleRate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        Encoding.ASCII.GetBytes("data").CopyTo(wav, 36);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), data.Length);
        data.CopyTo(wav, 44);
        return wav;
    }

    /// <summary>The header fields and the RMS over all samples of a canonical 44-byte-header PCM16 WAV.</summary>
    public static (int Channels, int SampleRate, int Bits, double Seconds, double Rms) Inspect(byte[] wav)
    {
        Assert.True(wav.Length >= 44, $"{wav.Length} bytes is no WAV");
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));
        int channels = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22));
        var rate = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24));
        int bits = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34));
        Assert.Equal("data", Encoding.ASCII.GetString(wav, 36, 4));
        var length = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40));
        Assert.Equal(wav.Length - 44, length);
        var samples = length / 2;
        double sum = 0;
        for (var i = 0; i < samples; i++)
        {
            double s = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + i * 2));
            sum += s * s;
        }
        return (channels, rate, bits, samples / channels / (double)rate, samples == 0 ? 0 : Math.Sqrt(sum / samples));
    }
}
