using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// A connection switch that ends by starting the next one (a second session.update arrived during the first switch):
/// client messages sent while the next switch runs wait for the new connection; none goes to the one being retired.
/// </summary>
public sealed class GeminiChainedSwitchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_turn_sent_while_a_chained_switch_runs_is_answered_on_the_new_connection()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.UserTextAsync("my name is Ada");
        await h.Sink.WaitForAsync("response.done");

        // The first update switches to connection #2; the second, taken during that switch, makes #2 hand over to #3.
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "First." } });
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Second." } });
        await GeminiContinuityTests.WaitUntilAsync(() => h.Logs.Any(l => l.Contains("switching to connection #3", StringComparison.Ordinal)));

        await h.UserTextAsync("still there?");
        var answer = await h.Sink.WaitForAsync(e => e.Type == "response.done" && GeminiSessionLifecycleTests.TranscriptOf(e) == "Echo: still there?");
        Assert.Equal("completed", answer.Str("response", "status"));
        Assert.DoesNotContain(h.Logs, l => l.Contains("send on connection", StringComparison.Ordinal));
    }
}
