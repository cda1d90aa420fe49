using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Our <c>session.extensions</c> on Gemini against the emulator: 2.5 turns on affective dialog and proactive audio
/// (a v1alpha setup: the emulator refuses the fields elsewhere), 3.8 has proactive audio always on and no affective
/// dialog, a model without the capability refuses the field.
/// </summary>
public sealed class GeminiExtensionsTests(ITestOutputHelper output)
{
    private static async Task<RecordedEvent> AnswerAsync(GeminiHarness h, string text)
    {
        var start = h.Sink.Events.Count;
        await h.UserTextAsync(text);
        return await h.Sink.WaitForAsync(e => e.Type == "response.done" && GeminiSessionLifecycleTests.TranscriptOf(e) == "Echo: " + text, start);
    }

    [Fact]
    public async Task On_2_5_both_are_turned_on_echoed_and_set_up_over_v1alpha()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: GeminiReasoningTests.NativeAudio25);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", extensions = new { affective_dialog = true, proactive_audio = true } } });

        var updated = await h.Sink.WaitForAsync("session.updated");
        Assert.True(updated.Get("session", "extensions", "affective_dialog")!.Value.GetBoolean());
        Assert.True(updated.Get("session", "extensions", "proactive_audio")!.Value.GetBoolean());

        var done = await AnswerAsync(h, "hello");
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Contains(h.Logs, l => l.Contains("switching to connection #2", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task With_the_api_version_pinned_to_v1beta_the_new_setup_is_refused_so_the_fields_were_sent()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: GeminiReasoningTests.NativeAudio25,
            connectorSettings: new() { ["Providers:Gemini:ApiVersion"] = "v1beta" });
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", extensions = new { affective_dialog = true } } });
        await h.Sink.WaitForAsync("session.updated");
        await h.UserTextAsync("hello");

        await h.Sink.WaitForAsync("error");
        Assert.Contains(h.Logs, l => l.Contains("Unknown name", StringComparison.Ordinal) && l.Contains("enableAffectiveDialog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_3_8_proactive_audio_true_changes_nothing_and_false_or_affective_dialog_are_refused()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: GeminiReasoningTests.Live38);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", extensions = new { proactive_audio = true } } });
        Assert.True((await h.Sink.WaitForAsync("session.updated")).Get("session", "extensions", "proactive_audio")!.Value.GetBoolean());

        await h.SendAsync(new { type = "session.update", event_id = "evt_off", session = new { type = "realtime", extensions = new { proactive_audio = false } } });
        var off = await h.Sink.WaitForAsync("error");
        Assert.Equal("invalid_value", off.Str("error", "code"));
        Assert.Equal("session.extensions.proactive_audio", off.Str("error", "param"));
        Assert.Equal("evt_off", off.Str("error", "event_id"));

        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", extensions = new { affective_dialog = true } } });
        var affective = await h.Sink.WaitForAsync("error", off.Index + 1);
        Assert.Equal("unsupported_parameter", affective.Str("error", "code"));
        Assert.Equal("session.extensions.affective_dialog", affective.Str("error", "param"));

        Assert.Equal("completed", (await AnswerAsync(h, "hello")).Str("response", "status"));
        // Nothing the setup carries changed: no reconnect.
        Assert.DoesNotContain(h.Logs, l => l.Contains("switching to connection #2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_without_the_capability_refuses_the_field_by_name()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", extensions = new { proactive_audio = true } } });

        var error = await h.Sink.WaitForAsync("error");
        Assert.Equal("unsupported_parameter", error.Str("error", "code"));
        Assert.Equal("session.extensions.proactive_audio", error.Str("error", "param"));
        Assert.Equal("Unsupported parameter: 'session.extensions.proactive_audio' is not supported with this model.", error.Str("error", "message"));
    }
}
