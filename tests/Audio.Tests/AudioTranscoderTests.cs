using Xunit.Abstractions;

namespace VoicePlatform.Audio.Tests;

public sealed class AudioTranscoderTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(AudioEncoding.Pcmu)]
    [InlineData(AudioEncoding.Pcma)]
    public void G711At8k_ToPcm16At24k_AndBack_KeepsA440HzTone(AudioEncoding encoding)
    {
        var g711 = new AudioFormat(encoding, 8000);
        short[] tone = Signal.Tone(440, 8000, 16000);
        byte[] encoded = Encode(encoding, tone);
        var up = new AudioTranscoder(g711, AudioFormat.Pcm16At24kHz);
        var down = new AudioTranscoder(AudioFormat.Pcm16At24kHz, g711);

        byte[] pcm24 = Transcode(up, encoded);
        byte[] back = Transcode(down, pcm24);

        Assert.Equal(encoded.Length * 6, pcm24.Length);
        Assert.Equal(encoded.Length, back.Length);
        short[] decoded = Decode(encoding, back);
        double delay = (up.DelaySamples / 3) + down.DelaySamples;
        double snr = Signal.SnrAgainstTone(decoded, 440, 8000, delay, 400, decoded.Length - 400);
        short[] direct = Decode(encoding, encoded);
        double g711Only = Signal.SnrAgainstTone(direct, 440, 8000, 0, 400, direct.Length - 400);
        output.WriteLine($"{g711.RealtimeType} 8k -> pcm16 24k -> {g711.RealtimeType} 8k, 440 Hz @ -6 dBFS: SNR {snr:F1} dB (one G.711 pass alone: {g711Only:F1} dB)");
        Assert.True(snr >= 30, $"SNR {snr:F1} dB < 30 dB");
    }

    [Fact]
    public void Pcmu8k_ToPcm16At16k_IsTheDecodedStreamResampled()
    {
        short[] tone = Signal.Tone(440, 8000, 4000);
        byte[] encoded = Encode(AudioEncoding.Pcmu, tone);
        var transcoder = new AudioTranscoder(AudioFormat.Pcmu, AudioFormat.Pcm16At16kHz);

        short[] actual = DecodePcm16(Transcode(transcoder, encoded));
        short[] expected = Signal.Resample(new StreamingResampler(8000, 16000), Decode(AudioEncoding.Pcmu, encoded));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Pcm16Stream_SplitAtOddByteBoundaries_GivesTheSameOutput()
    {
        byte[] pcm = EncodePcm16(Signal.Tone(1000, 24000, 9600));
        byte[] reference = Transcode(new AudioTranscoder(AudioFormat.Pcm16At24kHz, AudioFormat.Pcmu), pcm);

        var random = new Random(3);
        var transcoder = new AudioTranscoder(AudioFormat.Pcm16At24kHz, AudioFormat.Pcmu);
        var result = new List<byte>();
        var buffer = new byte[transcoder.GetMaxOutputBytes(1000)];
        for (int offset = 0; offset < pcm.Length;)
        {
            int size = Math.Min(random.Next(0, 1000), pcm.Length - offset);
            int expected = transcoder.GetOutputByteCount(size);
            int written = transcoder.Transcode(pcm.AsSpan(offset, size), buffer);
            Assert.Equal(expected, written);
            result.AddRange(buffer.AsSpan(0, written));
            offset += size;
        }

        Assert.Equal(reference, result.ToArray());
    }

    [Fact]
    public void SameRate_OnlyChangesTheEncoding()
    {
        short[] tone = Signal.Tone(440, 8000, 800);
        byte[] pcm = EncodePcm16(tone);

        byte[] mulaw = Transcode(new AudioTranscoder(AudioFormat.Pcm16(8000), AudioFormat.Pcmu), pcm);
        byte[] alaw = Transcode(new AudioTranscoder(AudioFormat.Pcmu, AudioFormat.Pcma), mulaw);
        byte[] same = Transcode(new AudioTranscoder(AudioFormat.Pcm16(8000), AudioFormat.Pcm16(8000)), pcm);

        Assert.Equal(Encode(AudioEncoding.Pcmu, tone), mulaw);
        Assert.Equal(Encode(AudioEncoding.Pcma, Decode(AudioEncoding.Pcmu, mulaw)), alaw);
        Assert.Equal(pcm, same);
    }

    [Fact]
    public void TooSmallOutput_Throws_AndConsumesNothing()
    {
        var transcoder = new AudioTranscoder(AudioFormat.Pcmu, AudioFormat.Pcm16At24kHz);
        byte[] input = Encode(AudioEncoding.Pcmu, Signal.Tone(440, 8000, 160));
        byte[] reference = Transcode(new AudioTranscoder(AudioFormat.Pcmu, AudioFormat.Pcm16At24kHz), input);

        Assert.Throws<ArgumentException>(() => transcoder.Transcode(input, new byte[transcoder.GetOutputByteCount(input.Length) - 1]));

        Assert.Equal(reference, Transcode(transcoder, input));
    }

    [Fact]
    public void Reset_DropsAHalfReceivedSample()
    {
        var transcoder = new AudioTranscoder(AudioFormat.Pcm16(8000), AudioFormat.Pcm16(8000));
        var buffer = new byte[8];

        Assert.Equal(0, transcoder.Transcode([0x01], buffer));
        transcoder.Reset();
        Assert.Equal(2, transcoder.Transcode([0x34, 0x12], buffer));

        Assert.Equal(new byte[] { 0x34, 0x12 }, buffer[..2]);
    }

    [Fact]
    public void Transcode_DoesNotAllocate()
    {
        var transcoder = new AudioTranscoder(AudioFormat.Pcmu, AudioFormat.Pcm16At16kHz);
        var input = new byte[160];
        var buffer = new byte[transcoder.GetMaxOutputBytes(input.Length)];
        for (int i = 0; i < 200; i++)
        {
            transcoder.Transcode(input, buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            transcoder.Transcode(input, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Transcode(AudioTranscoder transcoder, byte[] input)
    {
        var buffer = new byte[transcoder.GetMaxOutputBytes(input.Length)];
        int written = transcoder.Transcode(input, buffer);
        return buffer[..written];
    }

    private static byte[] Encode(AudioEncoding encoding, short[] pcm)
    {
        var bytes = new byte[pcm.Length];
        _ = encoding == AudioEncoding.Pcmu ? MuLaw.Encode(pcm, bytes) : ALaw.Encode(pcm, bytes);
        return bytes;
    }

    private static short[] Decode(AudioEncoding encoding, byte[] bytes)
    {
        var pcm = new short[bytes.Length];
        _ = encoding == AudioEncoding.Pcmu ? MuLaw.Decode(bytes, pcm) : ALaw.Decode(bytes, pcm);
        return pcm;
    }

    private static byte[] EncodePcm16(short[] pcm)
    {
        var bytes = new byte[pcm.Length * 2];
        Pcm16.Encode(pcm, bytes);
        return bytes;
    }

    private static short[] DecodePcm16(byte[] bytes)
    {
        var pcm = new short[bytes.Length / 2];
        Pcm16.Decode(bytes, pcm);
        return pcm;
    }
}
