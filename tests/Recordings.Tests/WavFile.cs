using System.Buffers.Binary;
using System.Text;

namespace VoicePlatform.Recordings.Tests;

/// <summary>An independent minimal WAV parser (does not use the library's <c>WavHeader</c>).</summary>
internal sealed class WavFile
{
    public int AudioFormat { get; private init; }
    public int Channels { get; private init; }
    public int SampleRate { get; private init; }
    public int ByteRate { get; private init; }
    public int BlockAlign { get; private init; }
    public int BitsPerSample { get; private init; }
    public long RiffSize { get; private init; }
    public long DataSize { get; private init; }
    public short[] Left { get; private init; } = [];
    public short[] Right { get; private init; } = [];
    public int Frames => Left.Length;
    public TimeSpan Duration => TimeSpan.FromTicks((long)Frames * TimeSpan.TicksPerSecond / SampleRate);

    public static WavFile Read(string path) => Parse(File.ReadAllBytes(path));

    public static WavFile Parse(byte[] bytes)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(bytes, 8, 4));
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        Assert.Equal(bytes.Length - 8, (long)riffSize);
        int format = 0, channels = 0, rate = 0, byteRate = 0, align = 0, bits = 0;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, position, 4);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4));
            var body = bytes.AsSpan(position + 8);
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                byteRate = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
                align = BinaryPrimitives.ReadInt16LittleEndian(body[12..]);
                bits = BinaryPrimitives.ReadInt16LittleEndian(body[14..]);
            }
            else if (id == "data")
            {
                Assert.Equal(bytes.Length - position - 8, size);
                Assert.Equal(2, channels);
                var frames = size / 4;
                var left = new short[frames];
                var right = new short[frames];
                for (var i = 0; i < frames; i++)
                {
                    left[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 4)..]);
                    right[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 4 + 2)..]);
                }
                return new WavFile
                {
                    AudioFormat = format, Channels = channels, SampleRate = rate, ByteRate = byteRate, BlockAlign = align,
                    BitsPerSample = bits, RiffSize = riffSize, DataSize = size, Left = left, Right = right,
                };
            }
            position += 8 + size + (size & 1);
        }
        throw new Xunit.Sdk.XunitException("No data chunk.");
    }

    /// <summary>RMS of a channel over [from, to) seconds.</summary>
    public static double Rms(short[] channel, double from, double to, int rate = Signal.Rate)
    {
        var start = (int)Math.Round(from * rate);
        var end = Math.Min(channel.Length, (int)Math.Round(to * rate));
        if (end <= start)
            return 0;
        double sum = 0;
        for (var i = start; i < end; i++)
            sum += (double)channel[i] * channel[i];
        return Math.Sqrt(sum / (end - start));
    }

    /// <summary>First and last non-zero sample index, or (-1, -1).</summary>
    public static (int First, int Last) NonZeroSpan(short[] channel)
    {
        var first = Array.FindIndex(channel, s => s != 0);
        var last = Array.FindLastIndex(channel, s => s != 0);
        return (first, last);
    }
}
