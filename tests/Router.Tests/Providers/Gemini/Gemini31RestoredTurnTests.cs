using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// A 3.1 session restored from a checkpoint (another Router taking over, or a mid-session fallback onto 3.1) whose
/// conversation ends with user input: the re-ask that follows (the Gateway's or the fallback's response.create) must be
/// answered with that input as realtime text, the rest of the conversation being the initial history; 3.1 cannot be
/// asked with clientContent, and a bare "." would make it answer nothing in particular.
/// </summary>
public sealed class Gemini31RestoredTurnTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_takeover_whose_answer_the_client_never_saw_answers_the_user_turn_again_without_hearing_it_twice()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.UserTextAsync("my name is Ada");
        var first = await h.Sink.WaitForAsync("response.done");
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("are you there");
        var done = await h.Sink.WaitForAsync("response.done", start);
        var answerId = done.Get("response", "output")!.Value.EnumerateArray().Last().GetProperty("id").GetString();
        await GeminiContinuityTests.WaitUntilAsync(() => h.Checkpoints.State.GetValueOrDefault("gemini_handle_item") == answerId);

        // The dying Router's answer never reached the client: the checkpoint ends with the user's turn, and the
        // checkpointed handle's state has both (resuming it and sending the turn again would make the model hear it twice).
        var state = h.Checkpoint();
        state = state with { History = [.. state.History.Where(i => i.GetProperty("id").GetString() != answerId)] };
        await h.Session.DisposeAsync();

        await h.ResumeAsync(state);
        await h.SendAsync(new { type = "response.create" }); // the Gateway's re-ask
        var reask = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Echo: are you there", GeminiSessionLifecycleTests.TranscriptOf(reask));
        await AssertHistoryAsync(h, "History has 4 turns.");
        Assert.Contains(h.Logs, l => l.Contains("context rebuilt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fallback_onto_31_answers_the_last_user_turn_with_the_rest_as_initial_history()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.UserTextAsync("my name is Ada");
        await h.Sink.WaitForAsync("response.done");
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("are you still there", respond: false);
        await h.Sink.WaitForAsync("conversation.item.done", start);

        // The hand-over from another provider: the conversation and the session, no Gemini handle.
        var state = h.Checkpoint() with { ProviderState = new Dictionary<string, string>() };
        await h.Session.DisposeAsync();

        await h.ResumeAsync(state);
        await h.SendAsync(new { type = "response.create" }); // the fallback asks for the reply the failure cut
        var reask = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Echo: are you still there", GeminiSessionLifecycleTests.TranscriptOf(reask));
        await AssertHistoryAsync(h, "History has 4 turns.");
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "error" or "session.created");
    }

    private static async Task AssertHistoryAsync(GeminiHarness h, string expected)
    {
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("history");
        var history = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal(expected, GeminiSessionLifecycleTests.TranscriptOf(history));
    }
}
