using System.Text;
using System.Text.Json;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

public class ClientEventTranslatorTests
{
    private readonly ClientAudioFormats _formats = new();

    private ClientTranslation Translate(string json) => new ClientEventTranslator(_formats).Translate(Encoding.UTF8.GetBytes(json));

    private static byte[] Tone(int samples)
    {
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
            BitConverter.TryWriteBytes(pcm.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 24000.0)));
        return pcm;
    }

    [Fact]
    public void Append_is_decoded_once_to_raw_pcm_with_its_rate_and_event_id()
    {
        var pcm = Tone(480);
        var translation = Translate($"{{\"type\":\"input_audio_buffer.append\",\"event_id\":\"a1\",\"audio\":\"{Convert.ToBase64String(pcm)}\"}}");
        var audio = translation.Frame!.InputAudio;
        Assert.Equal(pcm, audio.Pcm16.ToByteArray());
        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal("a1", audio.EventId);
    }

    [Fact]
    public void Append_with_json_escaped_base64_is_accepted()
    {
        var pcm = Tone(480);
        // System.Text.Json's default encoder writes '+' as \u002B; the bytes must survive.
        var json = JsonSerializer.Serialize(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(pcm) });
        Assert.Contains("\\u002B", json);
        Assert.Equal(pcm, Translate(json).Frame!.InputAudio.Pcm16.ToByteArray());
    }

    [Fact]
    public void Mu_law_input_becomes_8_khz_pcm_after_the_format_is_chosen()
    {
        var update = Translate("""{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcmu"}}}}}""");
        var canonical = JsonDocument.Parse(update.Frame!.ClientEvent.Json.ToByteArray()).RootElement;
        var format = canonical.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("format");
        Assert.Equal("audio/pcm", format.GetProperty("type").GetString());
        Assert.Equal(24000, format.GetProperty("rate").GetInt32());

        var mulaw = new byte[160];
        MuLaw.Encode(Enumerable.Range(0, 160).Select(i => (short)(4000 * Math.Sin(i / 3.0))).ToArray(), mulaw);
        var audio = Translate($"{{\"type\":\"input_audio_buffer.append\",\"audio\":\"{Convert.ToBase64String(mulaw)}\"}}").Frame!.InputAudio;
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(320, audio.Pcm16.Length);
    }

    [Fact]
    public void Item_audio_in_a_g711_session_is_converted_to_canonical_pcm()
    {
        Translate("""{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcma"}}}}}""");
        var alaw = Convert.ToBase64String(new byte[800]); // 100 ms at 8 kHz
        var item = Translate($$$"""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_audio","audio":"{{{alaw}}}"}]}}""");
        var json = JsonDocument.Parse(item.Frame!.ClientEvent.Json.ToByteArray()).RootElement;
        var audio = Convert.FromBase64String(json.GetProperty("item").GetProperty("content")[0].GetProperty("audio").GetString()!);
        Assert.InRange(audio.Length, 4700, 4800); // ≈100 ms of 24 kHz PCM16 (minus the resampler's start-up delay)
    }

    [Theory]
    [InlineData("""{"type":"input_audio_buffer.append","audio":"AAAA","extra":1}""", "unknown_parameter", "extra")]
    [InlineData("""{"type":"input_audio_buffer.append","audio":5}""", "invalid_type", "audio")]
    [InlineData("""{"type":"session.update","session":{"audio":{"output":{"format":{"type":"pcm16"}}}}}""", "invalid_value", "session.audio.output.format.type")]
    [InlineData("""{"type":"session.update","session":{"audio":{"output":{"format":{"rate":24000}}}}}""", "missing_required_parameter", "session.audio.output.format.type")]
    [InlineData("""{"type":"conversation.item.truncate","item_id":"i","content_index":0,"audio_end_ms":-5}""", "invalid_value", "audio_end_ms")]
    [InlineData("""{"event_id":"x"}""", "missing_required_parameter", "type")]
    [InlineData("""{"type":7}""", "invalid_type", "type")]
    public void Malformed_events_are_reported_with_code_and_param(string json, string code, string param)
    {
        var error = Translate(json).Error!;
        Assert.Equal(code, error.Code);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Other_events_pass_through_unchanged_in_content()
    {
        var translation = Translate("""{"type":"response.create","event_id":"r","response":{"instructions":"Hi","metadata":{"k":"v"}}}""");
        var json = JsonDocument.Parse(translation.Frame!.ClientEvent.Json.ToByteArray()).RootElement;
        Assert.Equal("Hi", json.GetProperty("response").GetProperty("instructions").GetString());
        Assert.Equal("v", json.GetProperty("response").GetProperty("metadata").GetProperty("k").GetString());
        Assert.Equal("r", json.GetProperty("event_id").GetString());
    }
}
