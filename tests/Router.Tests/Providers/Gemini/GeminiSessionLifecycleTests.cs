using System.Text.Json;
using VoicePlatform.Router.Sessions;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

public sealed class GeminiSessionLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SessionCreated_is_the_first_event_with_a_full_default_session()
    {
        await using var h = await GeminiHarness.StartAsync(output);

        var first = h.Sink.Events[0];
        Assert.Equal("session.created", first.Type);
        Assert.StartsWith("event_", first.Str("event_id"));
        var s = first.Get("session")!.Value;
        Assert.Equal(h.SessionId, s.GetProperty("id").GetString());
        Assert.Equal("realtime", s.GetProperty("type").GetString());
        Assert.Equal("realtime.session", s.GetProperty("object").GetString());
        Assert.Equal("gemini-3.1-flash-live", s.GetProperty("model").GetString());
        Assert.Equal(["audio"], s.GetProperty("output_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.False(string.IsNullOrEmpty(s.GetProperty("instructions").GetString()));
        Assert.Equal(JsonValueKind.Array, s.GetProperty("tools").ValueKind);
        Assert.Equal("auto", s.GetProperty("tool_choice").GetString());
        Assert.Equal("inf", s.GetProperty("max_output_tokens").GetString());
        Assert.True(s.GetProperty("expires_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var input = s.GetProperty("audio").GetProperty("input");
        Assert.Equal("audio/pcm", input.GetProperty("format").GetProperty("type").GetString());
        Assert.Equal(24000, input.GetProperty("format").GetProperty("rate").GetInt32());
        Assert.Equal(JsonValueKind.Null, input.GetProperty("transcription").ValueKind);
        var turn = input.GetProperty("turn_detection");
        Assert.Equal("server_vad", turn.GetProperty("type").GetString());
        Assert.Equal(300, turn.GetProperty("prefix_padding_ms").GetInt32());
        Assert.Equal(200, turn.GetProperty("silence_duration_ms").GetInt32());
        Assert.True(turn.GetProperty("create_response").GetBoolean());
        var audioOut = s.GetProperty("audio").GetProperty("output");
        Assert.Equal(24000, audioOut.GetProperty("format").GetProperty("rate").GetInt32());
        Assert.Equal("alloy", audioOut.GetProperty("voice").GetString());
        Assert.Equal(1.0, audioOut.GetProperty("speed").GetDouble());
        Assert.Single(h.Sink.Events);
    }

    [Fact]
    public async Task SessionUpdate_merges_and_replies_with_the_full_session()
    {
        await using var h = await GeminiHarness.StartAsync(output);

        await h.SendAsync(new
        {
            type = "session.update",
            event_id = "evt_update_1",
            session = new
            {
                type = "realtime",
                instructions = "Be brief.",
                audio = new { input = new { transcription = new { model = "whisper-1" } }, output = new { voice = "marin" } },
            },
        });

        var updated = await h.Sink.WaitForAsync("session.updated");
        var s = updated.Get("session")!.Value;
        Assert.Equal("Be brief.", s.GetProperty("instructions").GetString());
        Assert.Equal("marin", s.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
        Assert.Equal("whisper-1", s.GetProperty("audio").GetProperty("input").GetProperty("transcription").GetProperty("model").GetString());
        // Untouched fields keep their values: the full session, not a diff.
        Assert.Equal("server_vad", s.GetProperty("audio").GetProperty("input").GetProperty("turn_detection").GetProperty("type").GetString());
        Assert.Equal(h.SessionId, s.GetProperty("id").GetString());
        Assert.Equal("auto", s.GetProperty("tool_choice").GetString());
        Assert.NotEqual("evt_update_1", updated.Str("event_id"));

        // The reconnect that applies it is invisible: the session keeps working.
        await h.UserTextAsync("still there?");
        var done = await h.Sink.WaitForAsync("response.done", updated.Index);
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: still there?", TranscriptOf(done));
    }

    [Fact]
    public async Task SessionUpdate_with_an_unknown_field_is_an_error_and_changes_nothing()
    {
        await using var h = await GeminiHarness.StartAsync(output);

        await h.SendAsync(new { type = "session.update", event_id = "evt_bad", session = new { type = "realtime", instructions = "x", audio = new { input = new { bogus = 1 } } } });
        var error = await h.Sink.WaitForAsync("error");
        Assert.Equal("invalid_request_error", error.Str("error", "type"));
        Assert.Equal("unknown_parameter", error.Str("error", "code"));
        Assert.Equal("session.audio.input.bogus", error.Str("error", "param"));
        Assert.Equal("evt_bad", error.Str("error", "event_id"));

        // A beta-shaped field is unknown too.
        await h.SendAsync(new { type = "session.update", event_id = "evt_beta", session = new { type = "realtime", input_audio_format = "pcm16" } });
        var beta = await h.Sink.WaitForAsync(e => e.Type == "error" && e.Str("error", "event_id") == "evt_beta");
        Assert.Equal("session.input_audio_format", beta.Str("error", "param"));

        await h.SendAsync(new { type = "session.update", session = new { type = "realtime" } });
        var updated = await h.Sink.WaitForAsync("session.updated");
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "session.updated" && e.Index < updated.Index);
        Assert.NotEqual("x", updated.Get("session")!.Value.GetProperty("instructions").GetString());
    }

    [Fact]
    public async Task Bad_api_key_throws_ProviderConnectException()
    {
        await using var h = await GeminiHarness.CreateAsync(output, ["GeminiEmulator:ApiKeys:0=another-key"]);
        var ex = await Assert.ThrowsAsync<ProviderConnectException>(h.ConnectAsync);
        Assert.Equal("invalid_api_key", ex.Code);
        Assert.Empty(h.Sink.Events);
    }

    [Fact]
    public async Task Refused_upgrade_throws_ProviderConnectException()
    {
        await using var h = await GeminiHarness.CreateAsync(output, ["GeminiEmulator:Faults:RefuseConnections=true"]);
        var ex = await Assert.ThrowsAsync<ProviderConnectException>(h.ConnectAsync);
        Assert.Equal("provider_unavailable", ex.Code);
    }

    [Fact]
    public async Task A_drop_without_goAway_is_recovered_and_the_reply_is_asked_for_again()
    {
        // Only the first connection drops (1011 after its 6th server message: setupComplete, resumption update, then
        // the reply's first frames); the connector reconnects and the client gets its answer, with no error.
        await using var h = await GeminiHarness.StartAsync(output,
            ["GeminiEmulator:Faults:CloseAfterMessages=6", "GeminiEmulator:Faults:FaultedConnections=1"]);
        await h.UserTextAsync("hello");
        var done = await h.Sink.WaitForAsync("response.done");
        if (done.Str("response", "status") != "completed")
        {
            // The cut-off reply ends incomplete; the one asked for again completes.
            Assert.Equal("incomplete", done.Str("response", "status"));
            done = await h.Sink.WaitForAsync("response.done", done.Index + 1);
        }
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: hello", TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("Earlier you said: hello", TranscriptOf(recall));
    }

    [Fact]
    public async Task A_provider_that_keeps_dropping_ends_the_session_with_an_error()
    {
        // Every connection drops 1011 after its 6th server message: after a few reconnects the session ends.
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Faults:CloseAfterMessages=6"]);
        await h.UserTextAsync("hello");

        var (status, reason) = await h.Sink.Ended.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1011, status);
        Assert.Contains("1011", reason);
        var error = h.Sink.Events.Last(e => e.Type == "error");
        Assert.Equal("server_error", error.Str("error", "type"));
        await h.Session.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    internal static string? TranscriptOf(RecordedEvent responseDone) =>
        responseDone.Get("response", "output")!.Value.EnumerateArray()
            .Where(i => i.GetProperty("type").GetString() == "message")
            .Select(i => i.GetProperty("content")[0].GetProperty("transcript").GetString())
            .FirstOrDefault();
}
