using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Gemini 3.1 takes clientContent only as initial history (the emulator closes 1007 on any other): text turns and held
/// context reach it as realtimeInput.text, rebuilt context as the initial history of a fresh setup.
/// </summary>
public sealed class Gemini31ClientContentTests(ITestOutputHelper output)
{
    // The emulator enforces 3.1's rule (its default, named here so the tests say what they rely on).
    private static readonly string[] Strict31Emulator = ["GeminiEmulator:Live31ClientContentOnlyAsHistory=true"];

    [Fact]
    public async Task Context_items_go_with_the_next_response_create_folded_into_one_realtime_text()
    {
        await using var h = await GeminiHarness.StartAsync(output, Strict31Emulator);
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "assistant", content = new[] { new { type = "output_text", text = "I can help." } } } });
        await h.UserTextAsync("hello");

        var done = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("completed", done.Str("response", "status"));
        // One user turn: the assistant item bracketed as context, then the user's words.
        Assert.Equal("Echo: [assistant: I can help.]\nhello", GeminiSessionLifecycleTests.TranscriptOf(done));

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("History has 2 turns.", GeminiSessionLifecycleTests.TranscriptOf(history));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Several_user_messages_for_one_response_create_answer_the_last_with_the_others_as_initial_history(bool earlierTurn)
    {
        await using var h = await GeminiHarness.StartAsync(output, Strict31Emulator);
        // Each message once: (my name is Ada, its answer,) a note, still here, its answer.
        await TwoMessagesAnswerTheLastAsync(h, async () =>
        {
            if (earlierTurn)
            {
                await h.UserTextAsync("my name is Ada");
                await h.Sink.WaitForAsync("response.done");
            }
        }, historyTurns: earlierTurn ? 5 : 3);
        Assert.Equal(earlierTurn ? 3 : 2, h.Sink.Events.Count(e => e.Type == "response.done"));
    }

    [Fact]
    public async Task Several_user_messages_for_one_response_create_during_a_planned_switch_answer_the_last()
    {
        await using var h = await GeminiHarness.StartAsync(output, Strict31Emulator);
        // The rebuild that follows the switch gives the model every message once.
        await TwoMessagesAnswerTheLastAsync(h, async () =>
        {
            await h.UserTextAsync("my name is Ada");
            await h.Sink.WaitForAsync("response.done");
            // New instructions need a new setup: the switch starts at once, and the messages arrive while it runs.
            await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Changed." } });
        }, historyTurns: 5);
    }

    [Fact]
    public async Task A_bare_response_create_asks_for_a_reply_with_realtime_text()
    {
        await using var h = await GeminiHarness.StartAsync(output, Strict31Emulator);
        await h.SendAsync(new { type = "response.create" });

        var done = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: .", GeminiSessionLifecycleTests.TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task Context_held_when_the_user_speaks_waits_for_the_next_response_create()
    {
        await using var h = await GeminiHarness.StartAsync(output, Strict31Emulator);
        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "system", content = new[] { new { type = "input_text", text = "The user is Ada." } } } });
        await h.Sink.WaitForAsync("conversation.item.done");

        // A spoken turn: on older models the held item went up as clientContent when speech began; 3.1 would close 1007.
        var start = h.Sink.Events.Count;
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Silence(0.5, 24000), TestAudio.Speech(1.0, 24000), TestAudio.Silence(1.0, 24000)), 24000);
        var spoken = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("completed", spoken.Str("response", "status"));

        start = h.Sink.Events.Count;
        await h.UserTextAsync("hi");
        var done = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("Echo: The user is Ada.\nhi", GeminiSessionLifecycleTests.TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_refused_handle_rebuilds_the_context_as_initial_history_which_the_model_does_not_answer()
    {
        await using var h = await GeminiHarness.StartAsync(output, [.. Strict31Emulator, "GeminiEmulator:ResumptionHandleValidity=00:00:00"]);
        await h.UserTextAsync("my name is Ada");
        await h.Sink.WaitForAsync("response.done");
        var state = h.Checkpoint();
        await h.Session.DisposeAsync();

        await h.ResumeAsync(state);
        // Rebuilt from history, which the model does not answer: the first reply is the one the client asks for.
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.Equal(1, h.Sink.Events.Count(e => e.Type == "response.done"));
        Assert.Contains(h.Logs, l => l.Contains("context rebuilt", StringComparison.Ordinal));
    }

    /// <summary>
    /// After <paramref name="before"/>, two user messages for one response.create: the last one is the turn (folded into
    /// one realtime text the model would answer both as one utterance), and the history then has
    /// <paramref name="historyTurns"/> turns, each message once.
    /// </summary>
    private static async Task TwoMessagesAnswerTheLastAsync(GeminiHarness h, Func<Task> before, int historyTurns)
    {
        await before();
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("a note", respond: false);
        await h.UserTextAsync("still here");
        var done = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: still here", GeminiSessionLifecycleTests.TranscriptOf(done));

        start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal($"History has {historyTurns} turns.", GeminiSessionLifecycleTests.TranscriptOf(history));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }
}
