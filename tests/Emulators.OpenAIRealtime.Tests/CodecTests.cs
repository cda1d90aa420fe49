using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class CodecTests
{
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    public void Mu_law_reference_values(short pcm, byte expected) => Assert.Equal(expected, G711.LinearToMuLaw(pcm));

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void A_law_reference_values(short pcm, byte expected) => Assert.Equal(expected, G711.LinearToALaw(pcm));

    [Fact]
    public void Round_trip_error_stays_within_the_segment_step()
    {
        for (int v = short.MinValue; v <= short.MaxValue; v += 7)
        {
            var pcm = (short)v;
            var mu = G711.MuLawToLinear(G711.LinearToMuLaw(pcm));
            var a = G711.ALawToLinear(G711.LinearToALaw(pcm));
            var tolerance = Math.Max(16, Math.Abs((int)pcm) / 16);
            Assert.True(Math.Abs(mu - pcm) <= tolerance, $"μ-law {pcm} -> {mu}");
            Assert.True(Math.Abs(a - pcm) <= tolerance, $"A-law {pcm} -> {a}");
        }
    }

    [Fact]
    public void Table_encoder_matches_an_independent_reference()
    {
        var samples = TestAudio.Tone(50, 8000);
        var expected = TestAudio.MuLaw(samples);
        var actual = new byte[samples.Length];
        G711.Encode(AudioEncoding.PcmU, samples, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Vad_reports_onset_and_end_including_the_silence()
    {
        var vad = new EnergyVad(AudioFormat.Pcm16, threshold: 0.5, silenceDurationMs: 300, idleTimeoutMs: null, startTick: 0);
        var samples = TestAudio.Silence(100).Concat(TestAudio.Tone(400)).Concat(TestAudio.Silence(500)).ToArray();
        var started = vad.Process(samples, out var used);
        Assert.Equal(VadEventKind.SpeechStarted, started.Kind);
        Assert.Equal(100 * 24, started.Tick);
        var stopped = vad.Process(samples.AsSpan(used), out _);
        Assert.Equal(VadEventKind.SpeechStopped, stopped.Kind);
        Assert.Equal((100 + 400 + 300) * 24, stopped.Tick);
    }
}
