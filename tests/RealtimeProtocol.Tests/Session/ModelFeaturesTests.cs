using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol.Tests.Session;

/// <summary>
/// <c>session.reasoning</c> and our <c>session.extensions</c>: validated as OpenAI validates reasoning, accepted only
/// where the model has the feature, echoed in the session object when set.
/// </summary>
public class ModelFeaturesTests
{
    private static readonly SessionFeatures Reasoning = new() { Reasoning = true };
    private static readonly SessionFeatures NativeAudio25 = new() { Reasoning = true, AffectiveDialog = true, ProactiveAudio = ProactiveAudioSupport.Optional };
    private static readonly SessionFeatures Live38 = new() { ProactiveAudio = ProactiveAudioSupport.AlwaysOn };

    private static ClientError? Apply(string session, RealtimeSessionConfig target, SessionFeatures features)
    {
        using var document = JsonDocument.Parse(session);
        return SessionUpdateParser.Apply(document.RootElement, target, assistantAudioPresent: false, features);
    }

    private static RealtimeSessionConfig NewSession() => new() { Id = "sess_1", Model = "gemini-3.8-live-extended-thinking" };

    private static JsonElement Written(RealtimeSessionConfig session)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            session.WriteTo(w);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [Theory]
    [InlineData("minimal")]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("high")]
    [InlineData("xhigh")]
    public void Reasoning_is_kept_and_echoed_where_the_model_reasons(string effort)
    {
        var session = NewSession();
        Assert.Null(Apply($$$"""{"type":"realtime","reasoning":{"effort":"{{{effort}}}"}}""", session, Reasoning));

        Assert.Equal(effort, session.ReasoningEffort);
        Assert.Equal(effort, Written(session).GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Fact]
    public void Without_reasoning_the_session_object_has_no_reasoning_field()
    {
        Assert.False(Written(NewSession()).TryGetProperty("reasoning", out _));
        Assert.False(Written(NewSession()).TryGetProperty("extensions", out _));
    }

    [Theory]
    [InlineData("""{"type":"realtime","reasoning":{"effort":"extreme"}}""", "invalid_value", "session.reasoning.effort")]
    [InlineData("""{"type":"realtime","reasoning":{"effort":"low","summary":"auto"}}""", "unknown_parameter", "session.reasoning.summary")]
    [InlineData("""{"type":"realtime","reasoning":"high"}""", "invalid_type", "session.reasoning")]
    public void A_bad_reasoning_value_gets_openais_validation_error(string json, string code, string param)
    {
        var session = NewSession();
        var error = Apply(json, session, Reasoning);

        Assert.Equal(code, error?.Code);
        Assert.Equal(param, error?.Param);
        Assert.Null(session.Reasoning);
    }

    [Fact]
    public void Reasoning_on_a_model_without_it_is_unsupported()
    {
        var session = NewSession();
        var error = Apply("""{"type":"realtime","reasoning":{"effort":"low"}}""", session, Live38);

        Assert.Equal("unsupported_parameter", error?.Code);
        Assert.Equal("session.reasoning", error?.Param);
        Assert.Equal("Unsupported parameter: 'session.reasoning' is not supported with this model.", error?.Message);
        Assert.Null(session.Reasoning);
    }

    [Fact]
    public void Extensions_on_2_5_are_kept_merged_and_echoed()
    {
        var session = NewSession();
        Assert.Null(Apply("""{"type":"realtime","extensions":{"affective_dialog":true}}""", session, NativeAudio25));
        Assert.Null(Apply("""{"type":"realtime","extensions":{"proactive_audio":false}}""", session, NativeAudio25));

        Assert.True(session.AffectiveDialog);
        Assert.False(session.ProactiveAudio);
        var extensions = Written(session).GetProperty("extensions");
        Assert.True(extensions.GetProperty("affective_dialog").GetBoolean());
        Assert.False(extensions.GetProperty("proactive_audio").GetBoolean());

        Assert.Null(Apply("""{"type":"realtime","extensions":null}""", session, NativeAudio25));
        Assert.Null(session.AffectiveDialog);
        Assert.False(Written(session).TryGetProperty("extensions", out _));
    }

    [Theory]
    [InlineData("""{"affective_dialog":true}""", "unsupported_parameter", "session.extensions.affective_dialog")]
    [InlineData("""{"affective_dialog":false}""", "unsupported_parameter", "session.extensions.affective_dialog")]
    [InlineData("""{"proactive_audio":false}""", "invalid_value", "session.extensions.proactive_audio")]
    [InlineData("""{"proactive_audio":"yes"}""", "invalid_type", "session.extensions.proactive_audio")]
    [InlineData("""{"empathy":true}""", "unknown_parameter", "session.extensions.empathy")]
    [InlineData("""[true]""", "invalid_type", "session.extensions")]
    public void On_3_8_affective_dialog_is_refused_and_proactive_audio_cannot_be_turned_off(string extensions, string code, string param)
    {
        var session = NewSession();
        var error = Apply($$$"""{"type":"realtime","extensions":{{{extensions}}}}""", session, Live38);

        Assert.Equal(code, error?.Code);
        Assert.Equal(param, error?.Param);
        Assert.Null(session.AffectiveDialog);
        Assert.Null(session.ProactiveAudio);
    }

    [Fact]
    public void On_3_8_proactive_audio_true_is_accepted()
    {
        var session = NewSession();
        Assert.Null(Apply("""{"type":"realtime","extensions":{"proactive_audio":true}}""", session, Live38));
        Assert.True(session.ProactiveAudio);
    }

    [Fact]
    public void A_model_without_the_features_refuses_both_fields()
    {
        var session = NewSession();
        var error = Apply("""{"type":"realtime","extensions":{"proactive_audio":true}}""", session, SessionFeatures.TextAndAudio);

        Assert.Equal("unsupported_parameter", error?.Code);
        Assert.Equal("session.extensions.proactive_audio", error?.Param);
        Assert.Contains("'session.extensions.proactive_audio' is not supported", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clone_keeps_reasoning_and_extensions_apart_from_the_original()
    {
        var session = NewSession();
        Assert.Null(Apply("""{"type":"realtime","reasoning":{"effort":"high"},"extensions":{"affective_dialog":true}}""", session, NativeAudio25));

        var copy = session.Clone();
        Assert.Null(Apply("""{"type":"realtime","reasoning":{"effort":"low"},"extensions":{"affective_dialog":false}}""", copy, NativeAudio25));

        Assert.Equal("high", session.ReasoningEffort);
        Assert.True(session.AffectiveDialog);
        Assert.Equal("low", copy.ReasoningEffort);
    }
}
