using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>The OpenAI session's audio conversions: client PCM to 24 kHz, the append event, a delta's base64 to PCM. No socket.</summary>
public class OpenAIAudioCodecTests
{
    private static byte[] Tone(int sampleRate, int samples)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / sampleRate)));
        return pcm;
    }

    private static OpenAIServerEvent Read(byte[] json) => OpenAIServerEvent.Read(json, new Utf8StringCache(), new Utf8StringCache());

    [Fact]
    public void Twenty_four_kilohertz_input_goes_up_as_it_came()
    {
        using var codec = new OpenAIAudioCodec();
        var pcm = Tone(24000, 480);

        var upstream = codec.ToUpstream(pcm, 24000);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(upstream, out var segment));
        Assert.Same(pcm, segment.Array); // no copy on the relay's common path
    }

    [Fact]
    public void Sixteen_kilohertz_input_is_resampled_to_three_halves_of_its_samples_across_chunks()
    {
        using var codec = new OpenAIAudioCodec();
        var pcm = Tone(16000, 16000);
        var bytes = 0;
        for (var offset = 0; offset < pcm.Length; offset += 640) // 20 ms chunks: the resampler keeps its state between them
            bytes += codec.ToUpstream(pcm.AsMemory(offset, 640), 16000).Length;

        Assert.InRange(bytes / 2, 24000 - 48, 24000);
    }

    [Fact]
    public void The_append_event_carries_the_audio_and_the_clients_event_id()
    {
        using var codec = new OpenAIAudioCodec();
        var pcm = Tone(24000, 480);

        using var withId = JsonDocument.Parse(codec.AppendEvent(pcm, "evt_7").ToArray());
        Assert.Equal("input_audio_buffer.append", withId.RootElement.GetProperty("type").GetString());
        Assert.Equal("evt_7", withId.RootElement.GetProperty("event_id").GetString());
        Assert.Equal(pcm, withId.RootElement.GetProperty("audio").GetBytesFromBase64());

        using var withoutId = JsonDocument.Parse(codec.AppendEvent(pcm.AsSpan(0, 4), null).ToArray());
        Assert.False(withoutId.RootElement.TryGetProperty("event_id", out _));
        Assert.Equal(pcm[..4], withoutId.RootElement.GetProperty("audio").GetBytesFromBase64());
    }

    [Fact]
    public void A_delta_decodes_in_place_and_with_json_escapes()
    {
        using var codec = new OpenAIAudioCodec();
        var pcm = new byte[] { 0xFB, 0xFF, 0x10, 0x20, 0xFE, 0x7F }; // base64 "+/8QIP5/" contains a slash
        var base64 = Convert.ToBase64String(pcm);
        var plain = Encoding.UTF8.GetBytes($$"""{"type":"response.output_audio.delta","response_id":"r","item_id":"i","delta":"{{base64}}"}""");
        var escaped = Encoding.UTF8.GetBytes($$"""{"type":"response.output_audio.delta","response_id":"r","item_id":"i","delta":"{{base64.Replace("/", "\\/")}}"}""");

        Assert.Equal(pcm, codec.DecodeDelta(plain, Read(plain)).ToArray());
        var escapedRead = Read(escaped);
        Assert.True(escapedRead.DeltaEscaped);
        Assert.Equal(pcm, codec.DecodeDelta(escaped, escapedRead).ToArray());
    }

    [Fact]
    public void A_delta_that_is_not_base64_is_a_json_error()
    {
        using var codec = new OpenAIAudioCodec();
        var message = Encoding.UTF8.GetBytes("""{"type":"response.output_audio.delta","response_id":"r","item_id":"i","delta":"not base64!"}""");

        Assert.Throws<JsonException>(() => codec.DecodeDelta(message, Read(message)));
    }
}
