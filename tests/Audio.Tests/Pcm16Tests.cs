namespace VoicePlatform.Audio.Tests;

public sealed class Pcm16Tests
{
    [Fact]
    public void Encode_WritesLittleEndian()
    {
        var bytes = new byte[6];

        int written = Pcm16.Encode([0x1234, -2, short.MinValue], bytes);

        Assert.Equal(6, written);
        Assert.Equal(new byte[] { 0x34, 0x12, 0xFE, 0xFF, 0x00, 0x80 }, bytes);
    }

    [Fact]
    public void Decode_ReadsLittleEndian_AndRejectsHalfSamples()
    {
        var samples = new short[3];

        int read = Pcm16.Decode([0x34, 0x12, 0xFE, 0xFF, 0x00, 0x80], samples);

        Assert.Equal(3, read);
        Assert.Equal(new short[] { 0x1234, -2, short.MinValue }, samples);
        Assert.Throws<ArgumentException>(() => Pcm16.Decode(new byte[3], new short[3]));
        Assert.Throws<ArgumentException>(() => Pcm16.Decode(new byte[4], new short[1]));
    }
}
