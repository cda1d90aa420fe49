namespace VoicePlatform.Recordings.Tests;

public sealed class WavHeaderTests
{
    [Fact]
    public void Writes_the_canonical_pcm_header_that_an_independent_parser_reads()
    {
        var bytes = new byte[WavHeader.Size + 8];
        new WavHeader(24_000, 2, 16, 8).WriteTo(bytes);

        var wav = WavFile.Parse(bytes);
        Assert.Equal((1, 2, 24_000, 96_000, 4, 16), (wav.AudioFormat, wav.Channels, wav.SampleRate, wav.ByteRate, wav.BlockAlign, wav.BitsPerSample));
        Assert.Equal(8, wav.DataSize);
        Assert.Equal(44, wav.RiffSize);
        Assert.Equal(2, wav.Frames);
    }

    [Fact]
    public void Round_trips_and_rejects_non_wav()
    {
        var bytes = new byte[WavHeader.Size];
        var header = new WavHeader(16_000, 2, 16, 64_000);
        header.WriteTo(bytes);

        Assert.True(WavHeader.TryParse(bytes, out var parsed));
        Assert.Equal(header, parsed);
        Assert.Equal(TimeSpan.FromSeconds(1), parsed.Duration);
        bytes[0] = (byte)'X';
        Assert.False(WavHeader.TryParse(bytes, out _));
    }

    [Fact]
    public void Data_beyond_32_bit_sizes_uses_the_streaming_sentinel()
    {
        var bytes = new byte[WavHeader.Size];
        new WavHeader(24_000, 2, 16, 5L * 1024 * 1024 * 1024).WriteTo(bytes);

        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(bytes, 40));
    }
}
