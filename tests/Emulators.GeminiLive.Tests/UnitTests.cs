using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData(50_000, "50s")]
    [InlineData(9_500, "9.500s")]
    [InlineData(250, "0.250s")]
    [InlineData(0, "0s")]
    public void Durations_use_proto3_json_form(int milliseconds, string expected) =>
        Assert.Equal(expected, ProtoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Resampler_keeps_stream_duration_across_odd_chunk_sizes()
    {
        var resampler = new StreamingResampler(16000, 24000);
        var total = 0;
        var input = 0;
        foreach (var size in new[] { 320, 1, 7, 160, 333, 2 })
        {
            total += resampler.Process(new byte[size * 2]).Length / 2;
            input += size;
        }

        Assert.InRange(total, input * 3 / 2 - 1, input * 3 / 2);
    }

    [Fact]
    public void Close_reasons_are_truncated_to_123_bytes()
    {
        var close = new CloseDirective(1007, new string('é', 100));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(close.TruncatedReason) <= 123);
        Assert.Equal(61, close.TruncatedReason.Length);
    }
}
