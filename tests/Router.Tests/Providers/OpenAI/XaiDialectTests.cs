using System.Text;
using System.Text.Json;
using VoicePlatform.Router.Providers.OpenAI;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>xAI's differences from OpenAI Realtime GA, mended both ways so a GA client never sees them.</summary>
public sealed class XaiDialectTests
{
    private static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static JsonElement Parse(ReadOnlyMemory<byte> json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_GA_session_update_goes_up_with_voice_and_turn_detection_at_the_top_level()
    {
        var update = XaiDialect.ToUpstream(Utf8("""
            {"type":"session.update","session":{"type":"realtime","instructions":"Be brief.",
             "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad","silence_duration_ms":400}},
                      "output":{"voice":"eve","format":{"type":"audio/pcm","rate":24000}}}}}
            """));

        var session = Parse(update).GetProperty("session");
        Assert.Equal("eve", session.GetProperty("voice").GetString());
        Assert.Equal(400, session.GetProperty("turn_detection").GetProperty("silence_duration_ms").GetInt32());
        Assert.Equal("Be brief.", session.GetProperty("instructions").GetString());
        Assert.False(session.GetProperty("audio").GetProperty("output").TryGetProperty("voice", out _));
        Assert.False(session.GetProperty("audio").GetProperty("input").TryGetProperty("turn_detection", out _));
        Assert.Equal(24000, session.GetProperty("audio").GetProperty("input").GetProperty("format").GetProperty("rate").GetInt32());
    }

    [Fact]
    public void An_OpenAI_voice_becomes_xAI_s_default_and_any_transcription_model_grok_transcribe()
    {
        var update = XaiDialect.ToUpstream(Utf8("""
            {"type":"session.update","session":{"audio":{"input":{"transcription":{"model":"gpt-4o-transcribe","language":"en"}},
             "output":{"voice":"marin"}}}}
            """));

        var session = Parse(update).GetProperty("session");
        Assert.Equal("ara", session.GetProperty("voice").GetString());
        var transcription = session.GetProperty("audio").GetProperty("input").GetProperty("transcription");
        Assert.Equal("grok-transcribe", transcription.GetProperty("model").GetString());
        Assert.Equal("en", transcription.GetProperty("language").GetString());
        Assert.Equal("Rex", Parse(XaiDialect.ToUpstream(Utf8("""{"type":"session.update","session":{"audio":{"output":{"voice":"Rex"}}}}""")))
            .GetProperty("session").GetProperty("voice").GetString());
    }

    [Fact]
    public void Other_client_events_pass_unchanged()
    {
        var append = Utf8("""{"type":"input_audio_buffer.append","audio":"AAAA"}""");
        Assert.True(XaiDialect.ToUpstream(append).Span.SequenceEqual(append.Span));
    }

    [Fact]
    public void Conversation_created_is_swallowed_and_sessions_come_back_in_GA_shape()
    {
        var dialect = new XaiDialect();
        Assert.True(dialect.FromUpstream(Utf8("""{"type":"conversation.created","conversation":{"id":"conv_1"}}""")).IsEmpty);

        var created = Parse(dialect.FromUpstream(Utf8("""
            {"type":"session.created","session":{"id":"sess_1","model":"grok-voice-think-fast-1.0","voice":"ara",
             "turn_detection":{"type":"server_vad","threshold":0.5},"audio":{"input":{"format":{"type":"audio/pcm","rate":24000}}}}}
            """)));

        var session = created.GetProperty("session");
        Assert.Equal("realtime", session.GetProperty("type").GetString());
        Assert.Equal("ara", session.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
        Assert.Equal("server_vad", session.GetProperty("audio").GetProperty("input").GetProperty("turn_detection").GetProperty("type").GetString());
        Assert.Equal(24000, session.GetProperty("audio").GetProperty("input").GetProperty("format").GetProperty("rate").GetInt32());
        Assert.False(session.TryGetProperty("voice", out _));
        Assert.False(session.TryGetProperty("turn_detection", out _));
    }

    [Fact]
    public void Running_transcripts_become_GA_deltas_of_what_is_new()
    {
        var dialect = new XaiDialect();
        string? Delta(string transcript) =>
            dialect.FromUpstream(Utf8($$"""{"type":"conversation.item.input_audio_transcription.updated","item_id":"item_1","transcript":"{{transcript}}"}""")) is { IsEmpty: false } json
                ? Parse(json) is var e && e.GetProperty("type").GetString() == "conversation.item.input_audio_transcription.delta"
                    ? e.GetProperty("delta").GetString()
                    : throw new Xunit.Sdk.XunitException("not a delta")
                : null;

        Assert.Equal("What is", Delta("What is"));
        Assert.Equal(" the weather", Delta("What is the weather"));
        Assert.Null(Delta("What is the weather")); // nothing new: nothing sent
        var completed = Utf8("""{"type":"conversation.item.input_audio_transcription.completed","item_id":"item_1","transcript":"What is the weather?"}""");
        Assert.True(dialect.FromUpstream(completed).Span.SequenceEqual(completed.Span));
        Assert.Equal("Next", Delta("Next")); // a completed item's count is forgotten (ids are not reused; nothing grows)
    }
}
