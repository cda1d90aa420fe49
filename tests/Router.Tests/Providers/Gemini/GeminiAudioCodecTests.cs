using System.Buffers.Binary;
using System.Text.Json;
using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>The Gemini session's audio conversions: client PCM to Gemini's 16 kHz input, and a frame's base64 audio to PCM. No socket.</summary>
public class GeminiAudioCodecTests
{
    private static byte[] Tone(int sampleRate, int samples)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / sampleRate)));
        }

        return pcm;
    }

    [Fact]
    public void Sixteen_kilohertz_input_goes_up_unchanged()
    {
        using var codec = new GeminiAudioCodec();
        var pcm = Tone(16000, 1600);

        Assert.Equal(pcm, codec.ToUpstream(pcm, 16000).ToArray());
    }

    [Fact]
    public void Twenty_four_kilohertz_input_is_resampled_to_two_thirds_of_its_samples_across_chunks()
    {
        using var codec = new GeminiAudioCodec();
        var pcm = Tone(24000, 24000);
        var bytes = 0;
        for (var offset = 0; offset < pcm.Length; offset += 960) // 20 ms chunks: the resampler keeps its state between them
        {
            bytes += codec.ToUpstream(pcm.AsSpan(offset, 960), 24000).Length;
        }

        Assert.InRange(bytes / 2, 16000 - 64, 16000);
    }

    [Fact]
    public void A_new_sample_rate_starts_a_new_resampler()
    {
        using var codec = new GeminiAudioCodec();
        codec.ToUpstream(Tone(24000, 480), 24000);
        var pcm = Tone(16000, 320);

        Assert.Equal(pcm, codec.ToUpstream(pcm, 16000).ToArray());
    }

    [Fact]
    public void Model_audio_decodes_from_plain_and_from_escaped_base64_to_whole_samples()
    {
        using var codec = new GeminiAudioCodec();
        var pcm = new byte[] { 0xFB, 0xEF, 0xBE, 0x01, 0x7F, 0x80, 0x3E };
        var base64 = Convert.ToBase64String(pcm); // "++++AX+APg==": '+' escaped below is still the same audio
        using var plain = JsonDocument.Parse($$"""{"data":"{{base64}}"}""");
        using var escaped = JsonDocument.Parse($$"""{"data":"{{base64.Replace("+", "\\u002B", StringComparison.Ordinal)}}"}""");

        Assert.Equal(pcm[..6], codec.DecodeModelAudio(plain.RootElement.GetProperty("data")).ToArray());
        Assert.Equal(pcm[..6], codec.DecodeModelAudio(escaped.RootElement.GetProperty("data")).ToArray());
    }

    [Fact]
    public void Model_audio_that_is_not_base64_decodes_to_nothing()
    {
        using var codec = new GeminiAudioCodec();
        using var document = JsonDocument.Parse("""{"text":"not audio!","number":12}""");

        Assert.True(codec.DecodeModelAudio(document.RootElement.GetProperty("text")).IsEmpty);
        Assert.True(codec.DecodeModelAudio(document.RootElement.GetProperty("number")).IsEmpty);
    }
}
