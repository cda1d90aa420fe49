using System.Text;
using System.Text.Json;
using Google.Protobuf;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

public class ServerEventTranslatorTests
{
    [Fact]
    public void Session_events_show_the_clients_formats_and_the_platform_session_id()
    {
        var formats = new ClientAudioFormats();
        formats.SetInput(AudioFormat.Pcmu);
        formats.SetOutput(AudioFormat.Pcma);
        var translator = new ServerEventTranslator(formats, "sess_platform");
        var upstream = """{"type":"session.updated","event_id":"event_1","session":{"id":"sess_upstream","audio":{"input":{"format":{"type":"audio/pcm","rate":24000}},"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin"}}}}""";

        var json = JsonDocument.Parse(translator.Event(Encoding.UTF8.GetBytes(upstream), out var type).ToArray()).RootElement;
        Assert.Equal("session.updated", type);
        var session = json.GetProperty("session");
        Assert.Equal("sess_platform", session.GetProperty("id").GetString());
        Assert.Equal("audio/pcmu", session.GetProperty("audio").GetProperty("input").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("audio/pcma", session.GetProperty("audio").GetProperty("output").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("marin", session.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
    }

    [Fact]
    public void Other_events_are_forwarded_byte_for_byte()
    {
        var translator = new ServerEventTranslator(new ClientAudioFormats(), "sess_x");
        var bytes = Encoding.UTF8.GetBytes("""{"type":"response.output_audio_transcript.delta","event_id":"event_2","delta":"Hi","obfuscation":"abc"}""");
        Assert.True(translator.Event(bytes, out _).Span.SequenceEqual(bytes));
    }

    [Fact]
    public void Audio_deltas_are_base64_in_the_clients_output_format()
    {
        var pcm = new byte[24000 * 2 / 10]; // 100 ms
        var audio = new OutputAudio { ResponseId = "resp_1", ItemId = "item_1", OutputIndex = 0, ContentIndex = 0, Pcm16 = ByteString.CopyFrom(pcm), SampleRate = 24000 };

        var passthrough = new ServerEventTranslator(new ClientAudioFormats(), "s");
        var delta = JsonDocument.Parse(passthrough.AudioDelta(audio).ToArray()).RootElement;
        Assert.Equal("response.output_audio.delta", delta.GetProperty("type").GetString());
        Assert.StartsWith("event_", delta.GetProperty("event_id").GetString());
        Assert.Equal("resp_1", delta.GetProperty("response_id").GetString());
        Assert.Equal(pcm.Length, Convert.FromBase64String(delta.GetProperty("delta").GetString()!).Length);

        var mulawFormats = new ClientAudioFormats();
        mulawFormats.SetOutput(AudioFormat.Pcmu);
        var mulaw = new ServerEventTranslator(mulawFormats, "s");
        var total = 0;
        for (var i = 0; i < 10; i++)
            total += Convert.FromBase64String(JsonDocument.Parse(mulaw.AudioDelta(audio).ToArray()).RootElement.GetProperty("delta").GetString()!).Length;
        Assert.InRange(total, 7900, 8000); // 1 s at 8 kHz, one byte per sample, minus the resampler's start-up delay
    }
}
