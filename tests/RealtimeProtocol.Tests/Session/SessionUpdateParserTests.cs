using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.RealtimeProtocol.Tests.Session;

/// <summary>
/// session.update as the platform validates it for translators (the Gemini one today): OpenAI's error codes and params,
/// first invalid field wins, nothing applied on error, partial updates change only what they name.
/// </summary>
public class SessionUpdateParserTests
{
    private static ClientError? Apply(string session, RealtimeSessionConfig target, bool assistantAudioPresent = false, bool textOutput = true)
    {
        using var document = JsonDocument.Parse(session);
        return SessionUpdateParser.Apply(document.RootElement, target, assistantAudioPresent, textOutput);
    }

    private static RealtimeSessionConfig NewSession() => new() { Id = "sess_1", Model = "gemini-3.1-flash-live" };

    [Fact]
    public void A_partial_update_changes_only_the_fields_it_names()
    {
        var session = NewSession();
        var error = Apply("""{"type":"realtime","instructions":"Be brief.","audio":{"output":{"voice":"marin"}}}""", session);

        Assert.Null(error);
        Assert.Equal("Be brief.", session.Instructions);
        Assert.Equal("marin", session.Voice.GetValue<string>());
        Assert.Equal(["audio"], session.OutputModalities);
        Assert.NotNull(session.TurnDetection); // untouched: still the default server VAD
    }

    [Theory]
    [InlineData("""{"instructions":"x"}""", "missing_required_parameter", "session.type")]
    [InlineData("""{"type":"realtime","colour":"blue"}""", "unknown_parameter", "session.colour")]
    [InlineData("""{"type":"realtime","instructions":42}""", "invalid_type", "session.instructions")]
    [InlineData("""{"type":"realtime","audio":{"output":{"voice":"nobody"}}}""", "invalid_value", "session.audio.output.voice")]
    [InlineData("""{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcm","rate":16000}}}}""", "invalid_value", "session.audio.input.format.rate")]
    [InlineData("""{"type":"realtime","reasoning":{"effort":"low"}}""", "unsupported_parameter", "session.reasoning")]
    [InlineData("""{"type":"realtime","tools":[{"type":"mcp","server_label":"x"}]}""", "invalid_value", "session.tools[0].type")]
    [InlineData("""{"type":"realtime","tool_choice":"sometimes"}""", "invalid_value", "session.tool_choice")]
    public void An_invalid_field_is_an_OpenAI_error_naming_it(string session, string code, string param)
    {
        var error = Apply(session, NewSession());

        Assert.NotNull(error);
        Assert.Equal((code, param), (error.Code, error.Param));
        Assert.Equal(RealtimeErrorEvent.InvalidRequest, error.Type);
    }

    [Fact]
    public void The_first_invalid_field_wins_and_nothing_before_it_is_applied_to_the_session_in_effect()
    {
        var effective = NewSession();
        var candidate = effective.Clone();
        var error = Apply("""{"type":"realtime","instructions":"changed","audio":{"output":{"speed":9}}}""", candidate);

        Assert.Equal(("decimal_above_max_value", "session.audio.output.speed"), (error?.Code, error?.Param));
        Assert.Equal(RealtimeSessionConfig.DefaultInstructions, effective.Instructions); // callers apply a clone, then keep it only on success
    }

    [Fact]
    public void The_voice_cannot_change_once_the_assistant_has_spoken_but_may_be_restated()
    {
        var session = NewSession();
        Assert.Null(Apply("""{"type":"realtime","audio":{"output":{"voice":"alloy"}}}""", session, assistantAudioPresent: true));

        var error = Apply("""{"type":"realtime","audio":{"output":{"voice":"marin"}}}""", session, assistantAudioPresent: true);

        Assert.Equal(("cannot_update_voice", null), (error?.Code, error?.Param)); // as OpenAI answers it
        Assert.Equal("alloy", session.Voice.GetValue<string>());
    }

    [Fact]
    public void Text_output_is_refused_for_a_model_that_only_speaks()
    {
        var error = Apply("""{"type":"realtime","output_modalities":["text"]}""", NewSession(), textOutput: false);

        Assert.Equal(("invalid_value", "session.output_modalities"), (error?.Code, error?.Param));
        Assert.Null(Apply("""{"type":"realtime","output_modalities":["text"]}""", NewSession(), textOutput: true));
    }

    [Fact]
    public void The_model_of_a_session_cannot_be_changed_but_may_be_restated_with_its_provider_prefix()
    {
        Assert.Null(Apply("""{"type":"realtime","model":"google/gemini-3.1-flash-live"}""", NewSession()));

        var error = Apply("""{"type":"realtime","model":"gpt-realtime-2"}""", NewSession());

        Assert.Equal(("invalid_value", "session.model"), (error?.Code, error?.Param));
    }

    [Fact]
    public void Function_tools_are_kept_as_sent_and_turn_detection_can_be_switched_off()
    {
        var session = NewSession();
        var error = Apply("""
            {"type":"realtime","tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":"required","audio":{"input":{"turn_detection":null}}}
            """, session);

        Assert.Null(error);
        var tool = Assert.Single(session.Tools)!.AsObject();
        Assert.Equal("get_weather", tool["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}"""), tool["parameters"]));
        Assert.Equal("required", session.ToolChoice.GetValue<string>());
        Assert.False(session.ServerVad);
    }

    [Fact]
    public void The_session_written_back_is_the_GA_shape_with_the_updated_fields()
    {
        var session = NewSession();
        Assert.Null(Apply("""{"type":"realtime","max_output_tokens":300,"audio":{"input":{"turn_detection":{"type":"semantic_vad","eagerness":"high"}}}}""", session));

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) session.WriteTo(writer);
        using var written = JsonDocument.Parse(buffer.WrittenMemory);

        var root = written.RootElement;
        Assert.Equal(("realtime.session", "sess_1", 300), (root.GetProperty("object").GetString(), root.GetProperty("id").GetString(), root.GetProperty("max_output_tokens").GetInt32()));
        var turn = root.GetProperty("audio").GetProperty("input").GetProperty("turn_detection");
        Assert.Equal(("semantic_vad", "high"), (turn.GetProperty("type").GetString(), turn.GetProperty("eagerness").GetString()));
    }
}
