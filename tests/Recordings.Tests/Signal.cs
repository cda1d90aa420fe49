using System.Buffers.Binary;

namespace VoicePlatform.Recordings.Tests;

internal static class Signal
{
    public const int Rate = 24_000;

    public static byte[] Tone(TimeSpan duration, double frequency = 440, short amplitude = 10_000, int rate = Rate)
    {
        var frames = (int)(duration.Ticks * rate / TimeSpan.TicksPerSecond);
        var bytes = new byte[frames * 2];
        for (var i = 0; i < frames; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate)));
        return bytes;
    }

    /// <summary>Distinct non-zero samples 1, 2, 3, … (wrapping below short.MaxValue) so placement can be checked exactly.</summary>
    public static byte[] Ramp(int frames, int first = 1)
    {
        var bytes = new byte[frames * 2];
        for (var i = 0; i < frames; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(1 + (first - 1 + i) % 30_000));
        return bytes;
    }

    public static short[] Samples(byte[] pcm16)
    {
        var samples = new short[pcm16.Length / 2];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm16.AsSpan(i * 2));
        return samples;
    }

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Chunks of <paramref name="chunk"/> duration (in bytes of PCM16 mono).</summary>
    public static IEnumerable<(byte[] Chunk, int Offset)> Split(byte[] pcm16, TimeSpan chunk, int rate = Rate)
    {
        var size = (int)(chunk.Ticks * rate / TimeSpan.TicksPerSecond) * 2;
        for (var offset = 0; offset < pcm16.Length; offset += size)
            yield return (pcm16[offset..Math.Min(pcm16.Length, offset + size)], offset);
    }
}
