using System.Buffers.Binary;
using System.Text;
using VoicePlatform.Cli.Talk;
using VoicePlatform.Cli.Tests.Infrastructure;

namespace VoicePlatform.Cli.Tests.Talk;

public sealed class WavFileTests
{
    [Fact]
    public void Reads_pcm16_stereo_and_downmixes_and_resamples_44k_to_24k_keeping_length_and_pitch()
    {
        var audio = WavFile.Read(TestWav.Tone(44_100, 2, leadingMs: 0, toneMs: 1000, trailingMs: 0));
        var pcm = InputAudio.ToPcm16Mono24k(audio);

        Assert.Equal((44_100, 2), (audio.SampleRate, audio.Channels));
        var samples = new short[pcm.Length / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2));
        Assert.InRange(samples.Length, 23_900, 24_100);
        // 220 Hz fundamental: about 440 upward zero crossings… of the 220 Hz + 440 Hz mix, counted on the fundamental's sign changes.
        var crossings = Enumerable.Range(1, samples.Length - 1).Count(i => samples[i - 1] < 0 && samples[i] >= 0);
        Assert.InRange(crossings, 215, 225);
        Assert.InRange(samples.Max(), 6000, 9000);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 24)]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    public void Reads_other_sample_formats(ushort format, int bits)
    {
        const int rate = 16_000;
        var data = new byte[rate / 10 * bits / 8];
        for (var i = 0; i < rate / 10; i++)
        {
            var value = 0.5 * Math.Sin(2 * Math.PI * 400 * i / rate);
            var s = data.AsSpan(i * bits / 8);
            switch (format, bits)
            {
                case (1, 8): s[0] = (byte)(128 + value * 127); break;
                case (1, 24): var v24 = (int)(value * 8388607); s[0] = (byte)v24; s[1] = (byte)(v24 >> 8); s[2] = (byte)(v24 >> 16); break;
                case (1, 32): BinaryPrimitives.WriteInt32LittleEndian(s, (int)(value * int.MaxValue)); break;
                case (3, 32): BinaryPrimitives.WriteSingleLittleEndian(s, (float)value); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(s, value); break;
            }
        }

        var audio = WavFile.Read(Wav(format, bits, rate, data));

        Assert.Equal(rate / 10, audio.Frames);
        Assert.InRange(audio.Interleaved.Max(), 0.48f, 0.52f);
        Assert.InRange(audio.Interleaved.Min(), -0.52f, -0.48f);
    }

    [Fact]
    public void Something_that_is_not_a_wav_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => WavFile.Read(Encoding.ASCII.GetBytes("ID3 this is an mp3")));
    }

    [Fact]
    public void The_reply_wav_is_mono_pcm16_at_24k()
    {
        var wav = WavFile.MonoPcm16(new byte[4800], 24_000);

        Assert.Equal((1, 24_000, 16, 0.1), (TestWav.Inspect(wav).Channels, TestWav.Inspect(wav).SampleRate, TestWav.Inspect(wav).Bits, TestWav.Inspect(wav).Seconds));
    }

    /// <summary>WAVE_FORMAT_EXTENSIBLE, with a LIST chunk before the data, as many recorders write.</summary>
    private static byte[] Wav(ushort format, int bits, int rate, byte[] data)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8); w.Write(0); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(40); w.Write((ushort)0xFFFE); w.Write((ushort)1); w.Write(rate); w.Write(rate * bits / 8);
        w.Write((ushort)(bits / 8)); w.Write((ushort)bits); w.Write((ushort)22); w.Write((ushort)bits); w.Write(4);
        w.Write(format); w.Write(new byte[14]);
        w.Write("LIST"u8); w.Write(3); w.Write("abc"u8); w.Write((byte)0);
        w.Write("data"u8); w.Write(data.Length); w.Write(data);
        return stream.ToArray();
    }
}
