using System.Text;
using System.Text.Json;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.Recordings;

namespace VoicePlatform.Gateway.Tests.Recordings;

/// <summary>The session.update extension <c>session.recording</c>: consumed by the Gateway, never forwarded.</summary>
public class SessionRecordingOverrideTests
{
    private static ClientTranslation Translate(SessionRecordingSwitch recording, string json) =>
        new ClientEventTranslator(new ClientAudioFormats(), recording).Translate(Encoding.UTF8.GetBytes(json));

    private static JsonElement ForwardedSession(ClientTranslation translation) =>
        JsonDocument.Parse(translation.Frame!.ClientEvent.Json.ToByteArray()).RootElement.GetProperty("session");

    [Theory]
    [InlineData(false, "on", true)]
    [InlineData(true, "off", false)]
    public void On_and_off_override_the_tenant_setting_and_are_stripped_before_forwarding(bool tenantDefault, string value, bool expected)
    {
        var recording = new SessionRecordingSwitch(tenantDefault);
        var translation = Translate(recording,
            $$$"""{"type":"session.update","session":{"type":"realtime","instructions":"Be brief.","recording":"{{{value}}}"}}""");

        Assert.Null(translation.Error);
        Assert.Equal(expected, recording.IsOn);
        var forwarded = ForwardedSession(translation);
        Assert.False(forwarded.TryGetProperty("recording", out _));
        Assert.Equal("Be brief.", forwarded.GetProperty("instructions").GetString());
    }

    [Fact]
    public void Override_applies_together_with_audio_formats()
    {
        var recording = new SessionRecordingSwitch(false);
        var translation = Translate(recording,
            """{"type":"session.update","session":{"recording":"on","audio":{"input":{"format":{"type":"audio/pcmu"}}}}}""");
        Assert.Null(translation.Error);
        Assert.True(recording.IsOn);
        Assert.False(ForwardedSession(translation).TryGetProperty("recording", out _));
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("\"ON\"")]
    public void A_bad_value_is_an_invalid_value_error_for_session_recording_and_changes_nothing(string value)
    {
        var recording = new SessionRecordingSwitch(true);
        var translation = Translate(recording, $$$"""{"type":"session.update","event_id":"ev1","session":{"recording":{{{value}}}}}""");

        Assert.Null(translation.Frame);
        Assert.Equal("invalid_value", translation.Error!.Code);
        Assert.Equal("session.recording", translation.Error.Param);
        Assert.Equal("ev1", translation.Error.ClientEventId);
        Assert.True(recording.IsOn);
    }

    [Fact]
    public void A_bad_audio_format_in_the_same_update_does_not_switch_recording()
    {
        var recording = new SessionRecordingSwitch(false);
        var translation = Translate(recording,
            """{"type":"session.update","session":{"recording":"on","audio":{"input":{"format":{"type":"audio/flac"}}}}}""");
        Assert.NotNull(translation.Error);
        Assert.False(recording.IsOn);
    }

    [Fact]
    public void Without_a_recording_store_the_switch_stays_off()
    {
        var recording = new SessionRecordingSwitch(true, available: false);
        Assert.Null(Translate(recording, """{"type":"session.update","session":{"recording":"on"}}""").Error);
        Assert.False(recording.IsOn);
        Assert.Equal("off", recording.Value);
    }

    [Fact]
    public void Session_objects_show_recording_once_chosen_or_while_on()
    {
        const string updated = """{"type":"session.updated","event_id":"e","session":{"id":"upstream","type":"realtime"}}""";
        var hidden = new ServerEventTranslator(new ClientAudioFormats(), "sess_1", new SessionRecordingSwitch(false));
        Assert.False(SessionOf(hidden.Event(Encoding.UTF8.GetBytes(updated), out _)).TryGetProperty("recording", out _));

        var chosen = new SessionRecordingSwitch(false);
        var translator = new ServerEventTranslator(new ClientAudioFormats(), "sess_1", chosen);
        chosen.Override(true);
        Assert.Equal("on", SessionOf(translator.Event(Encoding.UTF8.GetBytes(updated), out _)).GetProperty("recording").GetString());
        chosen.Override(false);
        Assert.Equal("off", SessionOf(translator.Event(Encoding.UTF8.GetBytes(updated), out _)).GetProperty("recording").GetString());

        var tenantOn = new ServerEventTranslator(new ClientAudioFormats(), "sess_1", new SessionRecordingSwitch(true));
        Assert.Equal("on", SessionOf(tenantOn.Event(Encoding.UTF8.GetBytes(updated.Replace("updated", "created")), out _)).GetProperty("recording").GetString());
    }

    private static JsonElement SessionOf(ReadOnlyMemory<byte> json) => JsonDocument.Parse(json).RootElement.GetProperty("session");
}
