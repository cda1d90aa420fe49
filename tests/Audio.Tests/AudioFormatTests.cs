namespace VoicePlatform.Audio.Tests;

public sealed class AudioFormatTests
{
    [Theory]
    [InlineData("audio/pcm", null, AudioEncoding.Pcm16, 24000)]
    [InlineData("audio/pcm", 24000, AudioEncoding.Pcm16, 24000)]
    [InlineData("audio/pcm", 16000, AudioEncoding.Pcm16, 16000)]
    [InlineData("pcm16", null, AudioEncoding.Pcm16, 24000)]
    [InlineData("audio/pcmu", null, AudioEncoding.Pcmu, 8000)]
    [InlineData("g711_ulaw", 8000, AudioEncoding.Pcmu, 8000)]
    [InlineData("audio/pcma", null, AudioEncoding.Pcma, 8000)]
    [InlineData("g711_alaw", null, AudioEncoding.Pcma, 8000)]
    public void TryParseRealtime_AcceptsGaAndBetaNames(string type, int? rate, AudioEncoding encoding, int sampleRate)
    {
        Assert.True(AudioFormat.TryParseRealtime(type, rate, out AudioFormat format));
        Assert.Equal(new AudioFormat(encoding, sampleRate), format);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("audio/opus", null)]
    [InlineData("AUDIO/PCM", null)]
    [InlineData("audio/pcm", 0)]
    [InlineData("audio/pcmu", 16000)]
    public void TryParseRealtime_RejectsUnknownFormats(string? type, int? rate)
    {
        Assert.False(AudioFormat.TryParseRealtime(type, rate, out AudioFormat format));
        Assert.Equal(default, format);
    }

    [Fact]
    public void SizesAndDurations()
    {
        Assert.Equal(48000, AudioFormat.Pcm16At24kHz.BytesPerSecond);
        Assert.Equal(8000, AudioFormat.Pcmu.BytesPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(20), AudioFormat.Pcm16At24kHz.GetDuration(960));
        Assert.Equal(TimeSpan.FromMilliseconds(20), AudioFormat.Pcma.GetDuration(160));
        Assert.Equal(640, AudioFormat.Pcm16At16kHz.GetByteCount(TimeSpan.FromMilliseconds(20)));
        Assert.Equal("audio/pcmu", AudioFormat.Pcmu.RealtimeType);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFormat(AudioEncoding.Pcm16, 0));
        Assert.Throws<InvalidOperationException>(() => new AudioTranscoder(default, AudioFormat.Pcmu));
    }
}
