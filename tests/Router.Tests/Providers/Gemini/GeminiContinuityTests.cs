using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Continuity against the emulator: the connector records Gemini's handle for the checkpoint, a checkpointed session
/// resumes on a new connector session (as on another Router) with the handle or, when that is refused, with its
/// context rebuilt from history, and rollovers survive refused handles and closes after goAway.
/// </summary>
public sealed class GeminiContinuityTests(ITestOutputHelper output)
{
    private static readonly JsonNode WeatherTool = JsonNode.Parse("""
        {"type":"function","name":"get_weather","description":"Weather for a city",
         "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
        """)!;

    [Fact]
    public async Task A_resumable_handle_is_recorded_with_its_time_and_the_item_it_covers()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        var before = DateTimeOffset.UtcNow;
        await h.UserTextAsync("my name is Ada");
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, done.Index);

        var state = h.Checkpoints.State;
        Assert.False(string.IsNullOrEmpty(state["gemini_handle"]));
        var at = DateTimeOffset.Parse(state["gemini_handle_at"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(at, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var assistantItem = done.Get("response", "output")!.Value[0].GetProperty("id").GetString();
        Assert.Equal(assistantItem, state["gemini_handle_item"]);

        // A client item still waiting for response.create is not in Gemini's context: a later handle (here after the
        // reconnect a session.update causes) does not cover it.
        await h.UserTextAsync("not sent yet", respond: false);
        var handles = h.Checkpoints.Calls.Count(c => c.Name == "gemini_handle");
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Changed." } });
        await h.Sink.WaitForAsync("session.updated", done.Index);
        await WaitUntilAsync(() => h.Checkpoints.Calls.Count(c => c.Name == "gemini_handle") > handles);
        Assert.Equal(assistantItem, h.Checkpoints.State["gemini_handle_item"]);
    }

    [Fact]
    public async Task Resume_with_the_checkpointed_handle_restores_the_session_without_session_created()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Be brief.", audio = new { output = new { voice = "marin" } } } });
        await h.Sink.WaitForAsync("session.updated");
        await h.UserTextAsync("my name is Ada");
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, done.Index);
        var state = h.Checkpoint();
        Assert.Equal(2, state.History.Count);
        var userItemId = state.History[0].GetProperty("id").GetString()!;
        var assistantItemId = state.History[1].GetProperty("id").GetString()!;

        // The old Router goes away (its Gemini socket closes); a new one picks the session up.
        await h.Session.DisposeAsync();
        await h.ResumeAsync(state);
        Assert.Empty(h.Sink.Events);

        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.Equal(done.Str("response", "conversation_id"), recall.Str("response", "conversation_id"));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "session.created" or "error");
        // Resumed by Gemini from the handle: it was never given up.
        Assert.DoesNotContain(h.Checkpoints.Calls, c => c is ("gemini_handle", ""));
        Assert.Contains(h.Checkpoints.Calls, c => c.Name == "gemini_handle" && c.Value.Length > 0);

        // The restored session config is the one the client had.
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime" } });
        var updated = await h.Sink.WaitForAsync("session.updated");
        var session = updated.Get("session")!.Value;
        Assert.Equal("Be brief.", session.GetProperty("instructions").GetString());
        Assert.Equal("marin", session.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
        Assert.Equal(h.SessionId, session.GetProperty("id").GetString());

        // The client's old item ids still work.
        await h.SendAsync(new { type = "conversation.item.retrieve", item_id = userItemId });
        var retrieved = await h.Sink.WaitForAsync("conversation.item.retrieved");
        Assert.Equal("my name is Ada", retrieved.Get("item")!.Value.GetProperty("content")[0].GetProperty("text").GetString());
        await h.SendAsync(new { type = "conversation.item.truncate", item_id = assistantItemId, content_index = 0, audio_end_ms = 300 });
        var truncated = await h.Sink.WaitForAsync("conversation.item.truncated");
        Assert.Equal(assistantItemId, truncated.Str("item_id"));
        await h.SendAsync(new { type = "conversation.item.delete", item_id = userItemId });
        var deleted = await h.Sink.WaitForAsync("conversation.item.deleted");
        Assert.Equal(userItemId, deleted.Str("item_id"));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_session_resumed_with_its_handle_does_not_send_the_audio_the_handle_covers_again()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Record:InputAudio=true"]);
        using var record = new VoicePlatform.TestSupport.Emulators.InputAudioRecordClient(h.Emulator.HttpBase);
        // A spoken turn in 20 ms frames numbered as the Gateway numbers them: 0.3 s quiet, 1 s speech, 1 s quiet.
        var turn = TestAudio.Concat(TestAudio.Silence(0.3, 24000), TestAudio.Speech(1, 24000), TestAudio.Silence(1, 24000));
        var frames = (ulong)(turn.Length / 960);
        await h.SendFramesAsync(turn, 24000, firstSeq: 1);
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitUntilAsync(() => h.Checkpoints.State.TryGetValue("gemini_handle_input_seq", out var c) && c.Length > 0 && c != "0");
        var covered = ulong.Parse(h.Checkpoints.State["gemini_handle_input_seq"], CultureInfo.InvariantCulture);
        // The handle came after Gemini answered the turn, so it covers at least the speech and the quiet that ended it.
        Assert.InRange(covered, (ulong)((0.3 + 1) / 0.02), frames);
        var state = h.Checkpoint();

        // The Router dies; the next one resumes with the handle while the Gateway replays every frame it still holds
        // (here all of them: nothing was acknowledged), then the client talks on.
        await h.Session.DisposeAsync();
        await h.ResumeAsync(state);
        await h.SendFramesAsync(turn, 24000, firstSeq: 1);
        var more = TestAudio.Concat(TestAudio.Silence(0.2, 24000), TestAudio.Speech(0.6, 24000), TestAudio.Silence(1, 24000));
        await h.SendFramesAsync(more, 24000, firstSeq: frames + 1);
        await h.Sink.WaitForAsync("response.done");

        // Gemini's input is the conversation's audio once: the turn, then the rest. The replayed frames the handle
        // covered (resampled to 16 kHz, 640 bytes per frame) did not go up again; the ones after it did.
        var session = Assert.Single(await record.ListAsync());
        var (audio, rate) = await record.AudioAsync(session.GetProperty("id").GetString()!);
        Assert.Equal(16000, rate);
        var expected = (turn.Length + more.Length) * 2 / 3;
        Assert.True(Math.Abs(audio.Length - expected) <= 640, $"Gemini consumed {audio.Length} bytes of input; the client sent {expected} (at 16 kHz)");
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task Audio_before_the_first_turn_stays_in_the_same_Gemini_session_across_a_rollover()
    {
        // Gemini gives a handle right after setup (the emulator's default): the switch resumes the session.
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output, RolloverBeforeFirstTurnSettings, emulatorTime: emulatorTime);
        using var record = new VoicePlatform.TestSupport.Emulators.InputAudioRecordClient(h.Emulator.HttpBase);
        var (_, totalBytes) = await QuietThenRolloverThenTurnAsync(h, record, emulatorTime);

        var session = Assert.Single(await record.ListAsync());
        Assert.True(session.GetProperty("connections").GetInt32() >= 2);
        var (audio, _) = await record.AudioAsync(session.GetProperty("id").GetString()!);
        Assert.True(Math.Abs(audio.Length - totalBytes) <= 640, $"Gemini consumed {audio.Length} bytes of input; the client sent {totalBytes} (at 16 kHz)");
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        // The switch is a continuity event of the session's quality record (a slow run may see the next one too).
        Assert.Contains(h.Continuity, c => c.Kind == "provider_rollover");
        var rollover = h.Continuity.First(c => c.Kind == "provider_rollover");
        Assert.Contains("goAway; resumed", rollover.Detail);
        Assert.True(rollover.Took > TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_a_handle_before_the_first_turn_a_fresh_setup_gets_the_audio_so_far_again()
    {
        // Handles only at turn boundaries (the other reading of the docs): the switch before the first turn has nothing
        // to resume, so the new Gemini session is fresh, and it is given the audio the old one took in.
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output, [.. RolloverBeforeFirstTurnSettings, "GeminiEmulator:Resumption:UpdateAfterSetup=false"],
            emulatorTime: emulatorTime);
        using var record = new VoicePlatform.TestSupport.Emulators.InputAudioRecordClient(h.Emulator.HttpBase);
        var (quietBytes, totalBytes) = await QuietThenRolloverThenTurnAsync(h, record, emulatorTime);

        var sessions = (await record.ListAsync()).OrderBy(s => s.GetProperty("created_at").GetDateTime()).ToList();
        Assert.Equal(2, sessions.Count);
        var (first, _) = await record.AudioAsync(sessions[0].GetProperty("id").GetString()!);
        var (second, _) = await record.AudioAsync(sessions[1].GetProperty("id").GetString()!);
        Assert.True(Math.Abs(first.Length - quietBytes) <= 640, $"the first session took {first.Length} bytes");
        // The fresh session heard everything the client said, once, in order: the same 16 kHz bytes first, then the turn.
        Assert.True(Math.Abs(second.Length - totalBytes) <= 640, $"Gemini's fresh session consumed {second.Length} bytes of input; the client sent {totalBytes} (at 16 kHz)");
        Assert.True(second.AsSpan(0, first.Length).SequenceEqual(first), "the fresh session does not start with the audio the first one took in");
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    /// <summary>goAway 1 s into each connection, close at 4 s; the emulator records what it took in.</summary>
    private static readonly string[] RolloverBeforeFirstTurnSettings =
    [
        "GeminiEmulator:Record:InputAudio=true",
        "GeminiEmulator:ConnectionLifetime=00:00:04", "GeminiEmulator:GoAwayLeadTime=00:00:03",
    ];

    /// <summary>
    /// 0.6 s of quiet, a connection switch (goAway, when the test moves the emulator's clock 1 s on) before any turn,
    /// then the first spoken turn, answered. Returns the quiet's and the whole input's length at Gemini's 16 kHz.
    /// </summary>
    private static async Task<(int QuietBytes, int TotalBytes)> QuietThenRolloverThenTurnAsync(
        GeminiHarness h, VoicePlatform.TestSupport.Emulators.InputAudioRecordClient record, FakeTimeProvider emulatorTime)
    {
        var quiet = TestAudio.Silence(0.6, 24000);
        await h.SendFramesAsync(quiet, 24000, firstSeq: 1);
        // Gemini took in the quiet before the goAway, as it does in real time (the quiet is sent at once, the goAway 1 s in).
        await WaitForRecordAsync(record, s => s.Sum(x => x.GetProperty("input_audio_bytes").GetInt64()) >= quiet.Length * 2 / 3, "the quiet taken in");
        emulatorTime.Advance(TimeSpan.FromSeconds(1));
        await WaitForRecordAsync(record, s => s.Sum(x => x.GetProperty("connections").GetInt32()) >= 2, "2 connections");

        var turn = TestAudio.Concat(TestAudio.Speech(1, 24000), TestAudio.Silence(1, 24000));
        await h.SendFramesAsync(turn, 24000, firstSeq: (ulong)(quiet.Length / 960) + 1);
        await CompletedResponseAsync(h, 0);
        return (quiet.Length * 2 / 3, (quiet.Length + turn.Length) * 2 / 3);
    }

    /// <summary>Polls the emulator's record of its sessions (it gives no event) until <paramref name="condition"/> holds.</summary>
    private static async Task WaitForRecordAsync(VoicePlatform.TestSupport.Emulators.InputAudioRecordClient record,
        Func<List<System.Text.Json.JsonElement>, bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition(await record.ListAsync()))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The emulator's record did not show {what} in time.");
            }

            await Task.Delay(50);
        }
    }

    public enum Refusal
    {
        GarbageHandle,
        ExpiredAtGemini,
        NotTheLatestHandle,
        TooOldToTry,
    }

    [Theory]
    [InlineData(Refusal.GarbageHandle)]
    [InlineData(Refusal.ExpiredAtGemini)]
    [InlineData(Refusal.NotTheLatestHandle)]
    [InlineData(Refusal.TooOldToTry)]
    public async Task Resume_with_a_refused_handle_rebuilds_the_context_from_history(Refusal refusal)
    {
        string[] settings = refusal switch
        {
            Refusal.ExpiredAtGemini => ["GeminiEmulator:ResumptionHandleValidity=00:00:01"],
            Refusal.NotTheLatestHandle => ["GeminiEmulator:Resumption:OnlyLatestHandleValid=true"],
            _ => [],
        };
        // The emulator's clock is fake: a handle expires there when the test moves it on.
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output, settings, emulatorTime: emulatorTime);
        await h.UserTextAsync("my name is Ada");
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, done.Index);
        var state = h.Checkpoint();
        if (refusal == Refusal.NotTheLatestHandle)
        {
            // A later handle exists (the checkpoint missed it): the one recorded is refused.
            var later = h.Sink.Events.Count;
            var handles = h.Checkpoints.Calls.Count(c => c.Name == "gemini_handle");
            await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Changed." } });
            await h.Sink.WaitForAsync("session.updated", later);
            await WaitUntilAsync(() => h.Checkpoints.Calls.Count(c => c.Name == "gemini_handle") > handles);
        }

        await h.Session.DisposeAsync();
        state = refusal switch
        {
            Refusal.GarbageHandle => state.WithProviderState("gemini_handle", "no-such-handle"),
            Refusal.TooOldToTry => state.WithProviderState("gemini_handle_at", DateTimeOffset.UtcNow.AddHours(-3).ToString("O")),
            _ => state,
        };
        if (refusal == Refusal.ExpiredAtGemini)
        {
            // Past the handle's 1 s validity after its session was detached (the dispose above waited for the close).
            emulatorTime.Advance(TimeSpan.FromSeconds(1.5));
        }

        await h.ResumeAsync(state);
        Assert.Empty(h.Sink.Events);
        // The refused handle is given up (the checkpoint no longer offers it).
        Assert.Contains(h.Checkpoints.Calls, c => c is ("gemini_handle", ""));

        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        // Rebuilt: my name is Ada / Echo, then recall / its answer.
        Assert.Equal("History has 4 turns.", GeminiSessionLifecycleTests.TranscriptOf(history));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "session.created" or "error");

        // New handles cover the rebuilt context and are recorded again.
        await WaitUntilAsync(() => h.Checkpoints.State.GetValueOrDefault("gemini_handle") is { Length: > 0 });
    }

    [Fact]
    public async Task A_rebuilt_context_keeps_spoken_turns_the_client_did_not_ask_to_transcribe()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        // No input transcription asked for: the client sees no transcription events...
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(1.5, 24000), TestAudio.Silence(0.8, 24000)), 24000);
        var spoken = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("I heard 1.5 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(spoken));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type.StartsWith("conversation.item.input_audio_transcription", StringComparison.Ordinal));
        // ...but the checkpoint holds the words of the spoken turn.
        var userItem = h.Sink.Events.First(e => e.Type == "input_audio_buffer.committed").Str("item_id");
        await WaitUntilAsync(() => h.Checkpoints.Transcripts.Any(t => t.ItemId == userItem));
        await WaitForHandleAfterAsync(h, spoken.Index);
        var state = h.Checkpoint().WithProviderState("gemini_handle", "no-such-handle");
        await h.Session.DisposeAsync();

        await h.ResumeAsync(state); // the handle is refused: the context is rebuilt from the history
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: [audio 1.5 s]", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "error" or "session.created"
            || e.Type.StartsWith("conversation.item.input_audio_transcription", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_while_the_old_socket_is_still_open_retries_until_it_closes()
    {
        // The sessions' clock is fake: the connector's retry comes when the test moves it on.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output, time: time);
        await h.UserTextAsync("my name is Ada");
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, done.Index);
        var state = h.Checkpoint();

        // The old Router's socket is half-open: Gemini refuses the resume (1011) until it is gone. Once refused, the old
        // socket closes, and the retry (100 ms later) resumes.
        var old = h.Session;
        var resuming = h.ResumeAsync(state);
        await WaitUntilAsync(() => resuming.IsCompleted || h.Logs.Any(l => l.Contains(" attempt 1 refused ", StringComparison.Ordinal)));
        Assert.False(resuming.IsCompleted, "the resume was not refused while the old socket was open");
        await old.DisposeAsync();
        time.Advance(TimeSpan.FromMilliseconds(100));
        await resuming;

        Assert.DoesNotContain(h.Checkpoints.Calls, c => c is ("gemini_handle", ""));
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "session.created" or "error");
    }

    [Fact]
    public async Task Resume_gives_up_on_a_socket_that_stays_open_and_rebuilds_from_history()
    {
        await using var h = await GeminiHarness.StartAsync(output, connectorSettings: new() { ["Providers:Gemini:ResumeRetryWindow"] = "00:00:01.500" });
        await h.UserTextAsync("my name is Ada");
        var done = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, done.Index);
        var state = h.Checkpoint();
        await using var old = h.Session;

        var started = DateTimeOffset.UtcNow;
        await h.ResumeAsync(state);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
        Assert.Contains(h.Checkpoints.Calls, c => c is ("gemini_handle", ""));

        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "session.created" or "error");
    }

    [Fact]
    public async Task Resume_restores_a_pending_function_call_whose_output_arrives_later()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");
        await h.UserTextAsync("my name is Ada");
        var first = await h.Sink.WaitForAsync("response.done");
        await WaitForHandleAfterAsync(h, first.Index);
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var call = await h.Sink.WaitForAsync("response.done", first.Index + 1);
        var callId = call.Get("response", "output")!.Value[0].GetProperty("call_id").GetString()!;
        var state = h.Checkpoint();
        await h.Session.DisposeAsync();

        await h.ResumeAsync(state);
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "sunny" } });
        await h.SendAsync(new { type = "response.create" });
        var answer = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("completed", answer.Str("response", "status"));
        // The new Gemini session never made the call: its result reached the model as context.
        Assert.Equal("Echo: [function get_weather returned: sunny]", GeminiSessionLifecycleTests.TranscriptOf(answer));

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        // Ada / Echo (from the handle), the call request and the call (after the handle), the result and its answer.
        Assert.Equal("History has 6 turns.", GeminiSessionLifecycleTests.TranscriptOf(history));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "session.created" or "error");
    }

    [Fact]
    public async Task Rollover_with_refused_handles_continues_across_several_lifetimes()
    {
        // Every handle is expired by the time it is used: each rollover rebuilds the context from history. The emulator's
        // clock is fake: each connection's goAway (3 s into its 4 s) comes when the test moves the clock there. Every
        // reading moves it on by a tick, so a handle is past its zero validity once it is used (as with a real clock).
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromTicks(1) };
        await using var h = await GeminiHarness.StartAsync(output,
        [
            "GeminiEmulator:ConnectionLifetime=00:00:04", "GeminiEmulator:GoAwayLeadTime=00:00:01",
            "GeminiEmulator:ResumptionHandleValidity=00:00:00",
        ], emulatorTime: emulatorTime);
        await h.UserTextAsync("my name is Ada");
        await h.Sink.WaitForAsync("response.done");

        await NextConnectionAfterGoAwayAsync(h, emulatorTime, TimeSpan.FromSeconds(3));
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("History has 2 turns.", GeminiSessionLifecycleTests.TranscriptOf(history));

        await NextConnectionAfterGoAwayAsync(h, emulatorTime, TimeSpan.FromSeconds(3));
        start = h.Sink.Events.Count;
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("Earlier you said: history", GeminiSessionLifecycleTests.TranscriptOf(recall));

        await NextConnectionAfterGoAwayAsync(h, emulatorTime, TimeSpan.FromSeconds(3));
        start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        history = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("History has 6 turns.", GeminiSessionLifecycleTests.TranscriptOf(history));

        // Handles were refused (and given up) along the way, yet the client saw nothing of it.
        Assert.True(h.Checkpoints.Calls.Count(c => c is ("gemini_handle", "")) >= 2);
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    [Fact]
    public async Task A_close_after_goAway_before_a_safe_point_reconnects_instead_of_ending_the_session()
    {
        // A pending tool call keeps the session from a safe point until the connection's lifetime ends. The emulator's
        // clock is fake: the goAway (1 s in) and the close (3 s in) come when the test moves it there.
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output,
            ["GeminiEmulator:ConnectionLifetime=00:00:03", "GeminiEmulator:GoAwayLeadTime=00:00:02"], emulatorTime: emulatorTime);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var call = await h.Sink.WaitForAsync("response.done");
        var callId = call.Get("response", "output")!.Value[0].GetProperty("call_id").GetString()!;

        // The goAway, seen by the connector before the clock moves on (a jump past both would close without one)...
        emulatorTime.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => h.Logs.Any(l => l.Contains(": goAway on connection #", StringComparison.Ordinal)));
        // ...then past the first connection's end: the connector reconnected on the close.
        emulatorTime.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => !h.Continuity.IsEmpty || h.Sink.Ended.IsCompleted, TimeSpan.FromSeconds(15));
        Assert.False(h.Sink.Ended.IsCompleted);
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "sunny" } });
        await h.SendAsync(new { type = "response.create" });
        var answer = await CompletedResponseAsync(h, call.Index + 1);
        Assert.Equal("Echo: [function get_weather returned: sunny]", GeminiSessionLifecycleTests.TranscriptOf(answer));

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("recall");
        var recall = await CompletedResponseAsync(h, start);
        Assert.Equal("Earlier you said: [function get_weather returned: sunny]", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    [Fact]
    public async Task A_reply_cut_off_by_the_close_after_goAway_ends_incomplete_and_is_asked_for_again()
    {
        // First connection: the reply starts 2.5 s late and streams in realtime (about 3 s), so the close at 5 s cuts it;
        // on the next connection the same reply has 5 s for its 3 s (a 4 s lifetime once left a loaded CI machine 1 s of
        // margin, and the re-asked reply was cut as well).
        await using var h = await GeminiHarness.StartAsync(output,
        [
            "GeminiEmulator:ConnectionLifetime=00:00:05", "GeminiEmulator:GoAwayLeadTime=00:00:04",
            "GeminiEmulator:Output:GenerationSpeed=1", "GeminiEmulator:Faults:ReplyDelayMs=2500", "GeminiEmulator:Faults:FaultedConnections=1",
        ]);
        var text = "tell me about the sea and the waves, please";
        await h.UserTextAsync(text);
        var cut = await h.Sink.WaitForAsync("response.done", timeout: TimeSpan.FromSeconds(10));
        Assert.Equal("incomplete", cut.Str("response", "status"));
        Assert.Equal("incomplete", cut.Get("response", "output")!.Value[0].GetProperty("status").GetString());

        // The reply is asked for again on the new connection and arrives whole.
        var again = await h.Sink.WaitForAsync("response.done", cut.Index + 1, TimeSpan.FromSeconds(10));
        Assert.Equal("completed", again.Str("response", "status"));
        Assert.Equal($"Echo: {text}", GeminiSessionLifecycleTests.TranscriptOf(again));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_spoken_turn_whose_reply_is_cut_by_the_close_after_goAway_is_answered_once_on_the_next_connection(bool refuseHandles)
    {
        // As above, but the lost reply answers speech: the next connection must answer that speech, not the text before it.
        string[] settings =
        [
            "GeminiEmulator:ConnectionLifetime=00:00:05", "GeminiEmulator:GoAwayLeadTime=00:00:04",
            "GeminiEmulator:Output:GenerationSpeed=1", "GeminiEmulator:Faults:ReplyDelayMs=2500", "GeminiEmulator:Faults:FaultedConnections=1",
        ];
        await using var h = await GeminiHarness.StartAsync(output, refuseHandles ? [.. settings, "GeminiEmulator:ResumptionHandleValidity=00:00:00"] : settings);
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(1.0, 24000), TestAudio.Silence(0.8, 24000)), 24000);
        var first = await h.Sink.WaitForAsync("response.done", timeout: TimeSpan.FromSeconds(15));
        var answer = await CompletedResponseAsync(h, first.Index);
        Assert.Equal("I heard 1.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.Single(h.Sink.Events, e => e.Type == "response.done" && e.Str("response", "status") == "completed");
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    [Fact]
    public async Task A_spoken_turn_cut_on_a_connection_rebuilt_from_history_is_answered_once_on_the_next_one()
    {
        // Handles are refused, so the second connection is built from the history and has no handle of its own (the refused
        // resume is the emulator's second connection, hence three faulted ones); the
        // reply to speech on it is late enough for the connection's end to cut it.
        await using var h = await GeminiHarness.StartAsync(output,
        [
            "GeminiEmulator:ConnectionLifetime=00:00:05", "GeminiEmulator:GoAwayLeadTime=00:00:01", "GeminiEmulator:ResumptionHandleValidity=00:00:00",
            "GeminiEmulator:Output:GenerationSpeed=1", "GeminiEmulator:Faults:ReplyDelayMs=2500", "GeminiEmulator:Faults:FaultedConnections=3",
        ]);
        await h.UserTextAsync("hello");
        var hello = await CompletedResponseAsync(h, 0);
        Assert.Equal("Echo: hello", GeminiSessionLifecycleTests.TranscriptOf(hello));
        await WaitUntilAsync(() => h.Logs.Any(l => l.Contains("connection #2 ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));

        // 2 s into the connection's 5: the reply, 2.5 s after the speech, is still awaited at the goAway (4 s) and the close.
        await Task.Delay(TimeSpan.FromSeconds(2)); // the fault's moment, not a wait for an outcome
        var start = h.Sink.Events.Count;
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(1.0, 24000), TestAudio.Silence(0.8, 24000)), 24000);
        var answer = await CompletedResponseAsync(h, start);
        Assert.Equal("I heard 1.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.Equal(2, h.Sink.Events.Count(e => e.Type == "response.done" && e.Str("response", "status") == "completed"));
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    [Fact]
    public async Task Speech_going_on_when_a_connection_rebuilt_from_history_closes_reaches_the_next_one_whole()
    {
        // Handles are refused: the second connection is built from the history and keeps no handle, so no replay either.
        // The emulator's clock is fake (every reading moves it on by a tick, so a handle is past its zero validity once
        // used): connections' goAways and closes come when the test moves it.
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromTicks(1) };
        await using var h = await GeminiHarness.StartAsync(output,
        [
            "GeminiEmulator:ConnectionLifetime=00:00:05", "GeminiEmulator:GoAwayLeadTime=00:00:01", "GeminiEmulator:ResumptionHandleValidity=00:00:00",
        ], emulatorTime: emulatorTime);
        await h.UserTextAsync("hello");
        await CompletedResponseAsync(h, 0);
        emulatorTime.Advance(TimeSpan.FromSeconds(4)); // the first connection's goAway
        await WaitUntilAsync(() => h.Logs.Any(l => l.Contains("connection #2 ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));

        // 3.5 s into the connection's 5, 2 s of speech at the pace of a microphone: it spans the goAway and the close.
        emulatorTime.Advance(TimeSpan.FromSeconds(3.5));
        var start = h.Sink.Events.Count;
        var speech = TestAudio.Concat(TestAudio.Speech(2.0, 24000), TestAudio.Silence(0.8, 24000));
        const int chunk = 24000 * 2 / 10;
        var sinceReady = TimeSpan.FromSeconds(3.5);
        var switches = h.Continuity.Count;
        for (var offset = 0; offset < speech.Length; offset += chunk)
        {
            await h.Session.SendAudioAsync(0, speech.AsMemory(offset, Math.Min(chunk, speech.Length - offset)), 24000, null, CancellationToken.None);
            emulatorTime.Advance(TimeSpan.FromMilliseconds(100));
            sinceReady += TimeSpan.FromMilliseconds(100);
            // The connector sees the goAway, and then the close, before more speech comes (in real time each takes it
            // well under the 100 ms between chunks), so the close finds the user still speaking.
            if (sinceReady == TimeSpan.FromSeconds(4))
                await WaitUntilAsync(() => h.Logs.Any(l => l.Contains("goAway on connection #2", StringComparison.Ordinal)));
            if (sinceReady == TimeSpan.FromSeconds(5))
                await WaitUntilAsync(() => h.Continuity.Count > switches || h.Sink.Ended.IsCompleted);
        }

        var answer = await CompletedResponseAsync(h, start);
        Assert.Equal("I heard 2.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Contains(h.Logs, l => l.Contains("turn in progress sent again to connection #3", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);
    }

    /// <summary>
    /// The next completed response.done from <paramref name="fromIndex"/>. With connections lasting 3 s, a slow machine
    /// can see a reply cut by a connection's end: that one ends "incomplete" and is asked for again on the next
    /// connection (see the test above), so it is passed over; anything else is returned as it is.
    /// </summary>
    private static async Task<RecordedEvent> CompletedResponseAsync(GeminiHarness h, int fromIndex)
    {
        var done = await h.Sink.WaitForAsync("response.done", fromIndex, TimeSpan.FromSeconds(15));
        while (done.Str("response", "status") == "incomplete")
            done = await h.Sink.WaitForAsync("response.done", done.Index + 1, TimeSpan.FromSeconds(15));
        Assert.True(done.Str("response", "status") == "completed", $"response.done #{done.Index}: {done.Json}");
        return done;
    }

    /// <summary>
    /// Moves the emulator's clock to the current connection's goAway (<paramref name="untilGoAway"/> after it opened; the
    /// clock stood still since) and waits until the session has switched to the next connection, or ended.
    /// </summary>
    private static async Task NextConnectionAfterGoAwayAsync(GeminiHarness h, FakeTimeProvider emulatorTime, TimeSpan untilGoAway)
    {
        var switches = h.Continuity.Count;
        emulatorTime.Advance(untilGoAway);
        await WaitUntilAsync(() => h.Continuity.Count > switches || h.Sink.Ended.IsCompleted, TimeSpan.FromSeconds(15));
    }

    /// <summary>The resumable update follows turnComplete (after response.done): wait until it was recorded.</summary>
    private static async Task WaitForHandleAfterAsync(GeminiHarness h, int eventIndex)
    {
        var item = h.Sink.Events[eventIndex].Get("response", "output")!.Value.EnumerateArray().Last().GetProperty("id").GetString();
        await WaitUntilAsync(() => h.Checkpoints.State.GetValueOrDefault("gemini_handle_item") == item);
    }

    /// <summary>Polls a condition the emulator gives no event for (the connector's log lines, checkpoint calls).</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(20);
        }
    }
}
