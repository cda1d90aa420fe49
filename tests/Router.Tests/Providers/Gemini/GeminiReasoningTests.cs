using VoicePlatform.ModelCatalog;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// <c>session.reasoning</c> on Gemini against the emulator: the effort reaches the setup as a thinking level (3.8
/// extended thinking) or budget (2.5), which the emulator reports back as the answer's thoughtsTokenCount (here
/// <c>output_token_details.text_tokens</c>: the replies are audio, so their text tokens are the thoughts). Models
/// without the capability refuse it as OpenAI does.
/// </summary>
public sealed class GeminiReasoningTests(ITestOutputHelper output)
{
    private const string FastThinking = "GeminiEmulator:Live38:ThinkingTime=00:00:00.05";

    internal static CatalogModel ExtendedThinking => new()
    {
        Id = "gemini-3.8-live-extended-thinking", Provider = "google", UpstreamModel = "gemini-3.8-live-extended-thinking",
        Capabilities = { Reasoning = true, ProactiveAudio = true },
    };

    internal static CatalogModel Live38 => new()
    {
        Id = "gemini-3.8-live", Provider = "google", UpstreamModel = "gemini-3.8-live", Capabilities = { ProactiveAudio = true },
    };

    internal static CatalogModel NativeAudio25 => new()
    {
        Id = "gemini-2.5-flash-native-audio", Provider = "google", UpstreamModel = "gemini-2.5-flash-native-audio-preview-12-2025",
        Capabilities = { Reasoning = true, AffectiveDialog = true, ProactiveAudio = true },
    };

    /// <summary>The thoughts the emulator reports on the answer (Live38:ThoughtsTokenCount 136 is MEDIUM).</summary>
    private static int Thoughts(RecordedEvent done) =>
        done.Get("response", "usage", "output_token_details", "text_tokens")!.Value.GetInt32();

    private static async Task<RecordedEvent> AnswerAsync(GeminiHarness h, string text, bool filler)
    {
        var start = h.Sink.Events.Count;
        await h.UserTextAsync(text);
        var done = await h.Sink.WaitForAsync(e => e.Type == "response.done" && GeminiSessionLifecycleTests.TranscriptOf(e) == "Echo: " + text, start);
        Assert.Equal("completed", done.Str("response", "status"));
        if (filler)
        {
            Assert.Contains(h.Sink.Events.Skip(start), e => e.Type == "response.done" && GeminiSessionLifecycleTests.TranscriptOf(e) == "Let me think about that.");
        }

        return done;
    }

    [Theory]
    [InlineData("minimal", 68)] // LOW: the model refuses MINIMAL
    [InlineData("low", 68)]
    [InlineData("medium", 136)]
    [InlineData("high", 272)]
    [InlineData("xhigh", 272)]
    public async Task Extended_thinking_gets_the_thinking_level_of_the_effort(string effort, int thoughts)
    {
        await using var h = await GeminiHarness.StartAsync(output, [FastThinking], model: ExtendedThinking);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort } } });
        var updated = await h.Sink.WaitForAsync("session.updated");
        Assert.Equal(effort, updated.Str("session", "reasoning", "effort"));

        var answer = await AnswerAsync(h, "hello", filler: true);

        Assert.Equal(thoughts, Thoughts(answer));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task Without_reasoning_extended_thinking_runs_at_medium_and_a_later_change_reconnects_with_the_new_level()
    {
        await using var h = await GeminiHarness.StartAsync(output, [FastThinking], model: ExtendedThinking);
        var created = await h.Sink.WaitForAsync("session.created");
        Assert.Null(created.Get("session", "reasoning"));
        Assert.Equal(136, Thoughts(await AnswerAsync(h, "hello", filler: true)));

        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort = "high" } } });
        await h.Sink.WaitForAsync("session.updated");

        // A new setup (the switch planner's reconnect, resuming the conversation) carries HIGH.
        Assert.Equal(272, Thoughts(await AnswerAsync(h, "again", filler: true)));
        Assert.Contains(h.Logs, l => l.Contains("switching to connection #2", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Theory]
    [InlineData("minimal", 0)] // thinkingBudget 0: thinking off
    [InlineData("low", 16)] // 1024: the emulator reports one thought token per 64 of the budget
    [InlineData("high", 256)] // 16384
    public async Task On_2_5_the_effort_becomes_a_thinking_budget(string effort, int thoughts)
    {
        await using var h = await GeminiHarness.StartAsync(output, model: NativeAudio25);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort } } });
        Assert.Equal(effort, (await h.Sink.WaitForAsync("session.updated")).Str("session", "reasoning", "effort"));

        Assert.Equal(thoughts, Thoughts(await AnswerAsync(h, "hello", filler: false)));
    }

    [Fact]
    public async Task Plain_3_8_refuses_reasoning_with_openais_error_and_keeps_its_setup()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: Live38);
        await h.SendAsync(new { type = "session.update", event_id = "evt_r", session = new { type = "realtime", reasoning = new { effort = "high" } } });

        var error = await h.Sink.WaitForAsync("error");
        Assert.Equal("invalid_request_error", error.Str("error", "type"));
        Assert.Equal("unsupported_parameter", error.Str("error", "code"));
        Assert.Equal("session.reasoning", error.Str("error", "param"));
        Assert.Equal("evt_r", error.Str("error", "event_id"));

        Assert.Equal(0, Thoughts(await AnswerAsync(h, "hello", filler: false)));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "session.updated");
    }

    [Fact]
    public async Task A_bad_effort_gets_the_invalid_value_error_before_the_capability_check()
    {
        await using var h = await GeminiHarness.StartAsync(output, model: Live38);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort = "maximum" } } });

        var error = await h.Sink.WaitForAsync("error");
        Assert.Equal("invalid_value", error.Str("error", "code"));
        Assert.Equal("session.reasoning.effort", error.Str("error", "param"));
    }
}
