using System.Text.Json;
using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>The Gemini Live client messages the session writes, as the protocol file gives them. No socket.</summary>
public class GeminiClientMessagesTests
{
    private static byte[] WriteBytes(Action<Utf8JsonWriter> message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            message(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonElement Write(Action<Utf8JsonWriter> message) => JsonDocument.Parse(WriteBytes(message)).RootElement.Clone();

    [Fact]
    public void Audio_is_base64_pcm_at_16_kHz_under_realtimeInput()
    {
        byte[] pcm = [1, 2, 3, 4];
        var json = WriteBytes(w => GeminiClientMessages.Audio(w, pcm));

        var audio = JsonDocument.Parse(json).RootElement.GetProperty("realtimeInput").GetProperty("audio");
        Assert.Equal(pcm, audio.GetProperty("data").GetBytesFromBase64());
        Assert.Equal("audio/pcm;rate=16000", audio.GetProperty("mimeType").GetString());
        Assert.True(GeminiClientMessages.IsAudio(json));
    }

    [Fact]
    public void Activity_signals_and_stream_end_are_the_only_property_of_realtimeInput()
    {
        Assert.Equal("""{"realtimeInput":{"activityStart":{}}}""", Write(GeminiClientMessages.ActivityStart).GetRawText());
        Assert.Equal("""{"realtimeInput":{"activityEnd":{}}}""", Write(GeminiClientMessages.ActivityEnd).GetRawText());
        Assert.Equal("""{"realtimeInput":{"audioStreamEnd":true}}""", Write(GeminiClientMessages.AudioStreamEnd).GetRawText());
        Assert.False(GeminiClientMessages.IsAudio(WriteBytes(GeminiClientMessages.ActivityStart)));
    }

    [Fact]
    public void Answer_now_is_an_empty_complete_client_turn()
    {
        Assert.Equal("""{"clientContent":{"turnComplete":true}}""", Write(GeminiClientMessages.AnswerNow).GetRawText());
    }

    [Fact]
    public void Client_turns_carry_text_and_their_audio_resampled_to_16_kHz()
    {
        var audio24k = new byte[480 * 2]; // 20 ms at 24 kHz
        var content = Write(w => GeminiClientMessages.ClientContent(w,
            [new PendingTurn("user", "hello", null), new PendingTurn("user", "", audio24k), new PendingTurn("model", "hi", null)],
            turnComplete: false)).GetProperty("clientContent");

        Assert.False(content.TryGetProperty("turnComplete", out _)); // turnComplete:false is the default: not written
        var turns = content.GetProperty("turns").EnumerateArray().ToArray();
        Assert.Equal(["user", "user", "model"], turns.Select(t => t.GetProperty("role").GetString()));
        Assert.Equal("hello", turns[0].GetProperty("parts")[0].GetProperty("text").GetString());
        var inline = turns[1].GetProperty("parts")[0].GetProperty("inlineData");
        Assert.Equal("audio/pcm;rate=16000", inline.GetProperty("mimeType").GetString());
        Assert.InRange(inline.GetProperty("data").GetBytesFromBase64().Length, 2 * 310, 2 * 330); // ≈ 320 samples: 20 ms at 16 kHz
        Assert.Single(turns[1].GetProperty("parts").EnumerateArray());
    }

    [Fact]
    public void Tool_outputs_go_up_as_json_when_they_are_json_and_as_strings_otherwise()
    {
        var responses = Write(w => GeminiClientMessages.ToolResponse(w,
            [("call_1", "get_weather", """{"temp":21}"""), ("call_2", "lookup", "not json {")]))
            .GetProperty("toolResponse").GetProperty("functionResponses").EnumerateArray().ToArray();

        Assert.Equal("call_1", responses[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", responses[0].GetProperty("name").GetString());
        Assert.Equal(21, responses[0].GetProperty("response").GetProperty("output").GetProperty("temp").GetInt32());
        Assert.Equal("not json {", responses[1].GetProperty("response").GetProperty("output").GetString());
    }
}
