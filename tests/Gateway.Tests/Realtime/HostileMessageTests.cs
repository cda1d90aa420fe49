using System.Text;
using System.Text.Json;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>
/// Messages that are JSON but ambiguous or not text (duplicate keys, unpaired surrogate escapes), a byte-order mark,
/// and the platform's own session fields: each gets one clear error naming the client's event_id, nothing throws.
/// </summary>
public class HostileMessageTests
{
    private static readonly SessionModel Model = SessionModel.Of(new CatalogModel { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime" });

    private static ClientTranslation Translate(string json) => Translate(Encoding.UTF8.GetBytes(json));

    private static ClientTranslation Translate(byte[] message) => new ClientEventTranslator(new ClientAudioFormats(), null, Model).Translate(message);

    [Theory]
    [InlineData("""{"type":"response.cancel","event_id":"a","event_id":"b"}""", "a", "event_id")]
    [InlineData("""{"event_id":"d1","type":"response.cancel","type":"response.create"}""", "d1", "type")]
    [InlineData("""{"event_id":"d2","type":"session.update","session":{"type":"realtime","instructions":"x","instructions":"y"}}""", "d2", "session.instructions")]
    [InlineData("""{"event_id":"d3","type":"conversation.item.create","item":{"type":"message","role":"user","role":"system","content":[]}}""", "d3", "item.role")]
    [InlineData("""{"event_id":"d4","type":"input_audio_buffer.append","audio":"AAAA","audio":"AAAA"}""", "d4", "audio")]
    [InlineData("""{"event_id":"d5","type":"response.create","response":{"metadata":{"k":1,"k":2}}}""", "d5", "response.metadata.k")]
    public void Duplicate_keys_are_invalid_json_with_the_event_id_and_where(string json, string eventId, string param)
    {
        var error = Translate(json).Error!;
        Assert.Equal("invalid_json", error.Code);
        Assert.Equal(eventId, error.ClientEventId);
        Assert.Equal(param, error.Param);
        Assert.Contains("more than once", error.Message);
    }

    [Theory]
    [InlineData("""{"event_id":"s1","type":"\udfff"}""", "s1", "type")]
    [InlineData("""{"event_id":"s2","type":"input_audio_buffer.append","audio":"AAAA\udfff"}""", "s2", "audio")]
    [InlineData("""{"event_id":"s3","type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi \ud800 there"}]}}""", "s3", "item.content[].text")]
    [InlineData("""{"event_id":"s4","type":"response.create","\ud800":1}""", "s4", "")]
    public void Unpaired_surrogate_escapes_are_invalid_json_with_the_event_id(string json, string eventId, string param)
    {
        var error = Translate(json).Error!;
        Assert.Equal("invalid_json", error.Code);
        Assert.Equal(eventId, error.ClientEventId);
        Assert.Equal(param, error.Param ?? "");
        Assert.Contains("surrogate", error.Message);
    }

    [Theory]
    [InlineData("""{"type":"response.cancel","event_id":"\udfff"}""")]
    [InlineData("""{"type":"input_audio_buffer.append","event_id":"\udfff","audio":"AAAA"}""")]
    public void An_event_id_that_is_not_text_is_echoed_as_written(string json)
    {
        var error = Translate(json).Error!;
        Assert.Equal("invalid_json", error.Code);
        Assert.Equal("\\udfff", error.ClientEventId);
    }

    [Fact]
    public void A_byte_order_mark_is_ignored()
    {
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"type":"input_audio_buffer.append","event_id":"b1","audio":"AAAAAA=="}""")).ToArray();
        Assert.Equal(4, Translate(withBom).Frame!.InputAudio.Pcm16.Length);
        var eventWithBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"type":"response.cancel","event_id":"b2"}""")).ToArray();
        Assert.NotNull(Translate(eventWithBom).Frame);
        var brokenWithBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"event_id":"b3","type":"response.cancel",""")).ToArray();
        var error = Translate(brokenWithBom).Error!;
        Assert.Equal(("invalid_json", "b3"), (error.Code, error.ClientEventId));
    }

    [Fact]
    public void Deep_nesting_is_invalid_json_with_the_event_id()
    {
        var deep = """{"event_id":"n1","type":"response.create","response":{"metadata":""" + new string('[', 200) + new string(']', 200) + "}}";
        var error = Translate(deep).Error!;
        Assert.Equal(("invalid_json", "n1"), (error.Code, error.ClientEventId));
    }

    [Theory]
    [InlineData("\"infinity\"", "invalid_value")]
    [InlineData("0", "invalid_value")]
    [InlineData("4097", "invalid_value")]
    [InlineData("1.5", "invalid_value")]
    [InlineData("true", "invalid_type")]
    [InlineData("{}", "invalid_type")]
    public void Max_output_tokens_is_checked_against_the_GA_schema(string value, string code)
    {
        var update = Translate($$$"""{"event_id":"m1","type":"session.update","session":{"type":"realtime","max_output_tokens":{{{value}}}}}""").Error!;
        Assert.Equal((code, "session.max_output_tokens", "m1"), (update.Code, update.Param, update.ClientEventId));
        var response = Translate($$$"""{"event_id":"m2","type":"response.create","response":{"max_output_tokens":{{{value}}}}}""").Error!;
        Assert.Equal((code, "response.max_output_tokens", "m2"), (response.Code, response.Param, response.ClientEventId));
    }

    [Theory]
    [InlineData("\"inf\"")]
    [InlineData("1")]
    [InlineData("4096")]
    public void Max_output_tokens_in_range_or_inf_passes(string value)
    {
        Assert.NotNull(Translate($$$"""{"type":"session.update","session":{"type":"realtime","max_output_tokens":{{{value}}}}}""").Frame);
        Assert.NotNull(Translate($$$"""{"type":"response.create","response":{"max_output_tokens":{{{value}}}}}""").Frame);
    }

    [Fact]
    public void Another_model_in_session_update_is_refused()
    {
        var error = Translate("""{"event_id":"x1","type":"session.update","session":{"type":"realtime","model":"gemini-3.1-flash-live"}}""").Error!;
        Assert.Equal(("invalid_value", "session.model", "x1"), (error.Code, error.Param, error.ClientEventId));
        Assert.Equal("invalid_type", Translate("""{"type":"session.update","session":{"type":"realtime","model":5}}""").Error!.Code);
    }

    [Theory]
    [InlineData("gpt-realtime-2")]
    [InlineData("openai/gpt-realtime-2")]
    [InlineData("gpt-realtime")]
    public void The_sessions_own_model_may_be_restated_and_is_not_forwarded(string name)
    {
        var frame = Translate($$$"""{"type":"session.update","session":{"type":"realtime","model":"{{{name}}}","instructions":"hi"}}""").Frame!;
        var session = JsonDocument.Parse(frame.ClientEvent.Json.ToByteArray()).RootElement.GetProperty("session");
        Assert.False(session.TryGetProperty("model", out _));
        Assert.Equal("hi", session.GetProperty("instructions").GetString());
    }

    [Fact]
    public void A_canonical_event_over_the_provider_limit_is_refused()
    {
        // 2.7 MB of mu-law becomes 16 MB of 24 kHz PCM, which no provider takes in one event.
        var formats = new ClientAudioFormats();
        formats.SetInput(VoicePlatform.Audio.AudioFormat.Pcmu);
        var audio = Convert.ToBase64String(new byte[2_700_000]);
        var json = $$$"""{"event_id":"big","type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_audio","audio":"{{{audio}}}"}]}}""";
        var error = new ClientEventTranslator(formats).Translate(Encoding.UTF8.GetBytes(json)).Error!;
        Assert.Equal(("message_too_large", "big"), (error.Code, error.ClientEventId));
    }

    [Theory]
    [InlineData("""{"type":"response.cancel","event_id":"p1","padding":"xxxxxxxx""", "p1")]
    [InlineData("""{"padding":{"a":[1,2,{"b":"c"}]},"event_id":"p2","type":"response.""", "p2")]
    [InlineData("""{"padding":"xxxxxxxxxxxxxxxxxxxxxx""", null)]
    [InlineData("""{"nested":{"event_id":"inner"},"type":"x""", null)]
    public void Event_id_is_read_from_the_start_of_a_message_too_large_to_keep(string prefix, string? expected) =>
        Assert.Equal(expected, ClientMessageScanner.TryReadEventId(Encoding.UTF8.GetBytes(prefix), complete: false));
}
