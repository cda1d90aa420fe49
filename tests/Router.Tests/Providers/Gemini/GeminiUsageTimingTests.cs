using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

public sealed class GeminiUsageTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Response_done_waits_for_turnComplete_usage_after_the_output_streams_end()
    {
        // Real-service timing: turnComplete (with usage) only after the assumed playback of the reply.
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:TurnCompleteAfterPlayback=true"]);
        var started = DateTime.UtcNow;
        await h.UserTextAsync("hello usage");
        var itemDone = await h.Sink.WaitForAsync("conversation.item.done", 2);
        var outputsEnded = DateTime.UtcNow;
        var done = await h.Sink.WaitForAsync("response.done", itemDone.Index);

        // The streams closed long before the ~1 s of playback was over; response.done came with the full usage.
        Assert.True(outputsEnded - started < TimeSpan.FromMilliseconds(700), $"{(outputsEnded - started).TotalMilliseconds} ms");
        var usage = done.Get("response", "usage")!.Value;
        Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Response_create_while_usage_is_awaited_opens_after_the_previous_response_done()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:TurnCompleteAfterPlayback=true", "GeminiEmulator:Output:MsPerCharacter=200"]);
        await h.UserTextAsync("first question");
        var itemDone = await h.Sink.WaitForAsync(e => e.Type == "response.output_item.done");
        await h.UserTextAsync("second question");

        var firstDone = await h.Sink.WaitForAsync("response.done", itemDone.Index);
        Assert.Equal("completed", firstDone.Str("response", "status"));
        Assert.True(firstDone.Get("response", "usage")!.Value.GetProperty("output_tokens").GetInt32() > 0);
        var secondCreated = await h.Sink.WaitForAsync("response.created", itemDone.Index);
        Assert.True(firstDone.Index < secondCreated.Index);
        var secondDone = await h.Sink.WaitForAsync("response.done", secondCreated.Index, TimeSpan.FromSeconds(30));
        Assert.Equal("Echo: second question", GeminiSessionLifecycleTests.TranscriptOf(secondDone));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task Usage_wait_expiry_sends_response_done_and_carries_late_usage_forward()
    {
        // The usage wait runs on a fake clock: it expires when the test moves the clock, while the emulator's late
        // turnComplete (1.5 s of wall time) is still on its way.
        var time = new FakeTimeProvider();
        var usageWait = TimeSpan.FromMilliseconds(200);
        await using var h = await GeminiHarness.StartAsync(output,
            ["GeminiEmulator:Output:TurnCompleteAfterPlayback=true", "GeminiEmulator:Output:TurnCompleteDelay=00:00:01.500"],
            new() { ["Providers:Gemini:UsageWait"] = "00:00:00.200" }, time);
        await h.UserTextAsync("first");
        var firstDone = await ExpireUsageWaitAsync(h, time, usageWait, 0);
        var first = firstDone.Get("response", "usage")!.Value;
        Assert.Equal(0, first.GetProperty("output_tokens").GetInt32());
        Assert.True(first.GetProperty("input_tokens").GetInt32() > 0);

        // The first turn's turnComplete arrives after its response.done: its usage waits for the next one.
        var carried = await Poll.UntilAsync(() => Task.FromResult(h.Logs.Any(l => l.Contains("carried into the next response.done", StringComparison.Ordinal))),
            found => found, TimeSpan.FromSeconds(10));
        Assert.True(carried, "the late turnComplete never arrived");
        await h.UserTextAsync("second");
        var secondDone = await ExpireUsageWaitAsync(h, time, usageWait, firstDone.Index + 1);
        // The first turn's output tokens arrived late and were added to this response (whose own come late as well).
        var second = secondDone.Get("response", "usage")!.Value;
        Assert.InRange(second.GetProperty("output_tokens").GetInt32(), 15, 19);
    }

    /// <summary>
    /// Moves the fake clock past the usage wait once the response's output ended, until its response.done arrives: the
    /// wait starts right after the output's last event, which the test may see a moment before the wait exists.
    /// </summary>
    private static async Task<RecordedEvent> ExpireUsageWaitAsync(GeminiHarness h, FakeTimeProvider time, TimeSpan usageWait, int from)
    {
        await h.Sink.WaitForAsync("response.output_item.done", from);
        for (var attempt = 1; ; attempt++)
        {
            time.Advance(usageWait);
            try
            {
                return await h.Sink.WaitForAsync("response.done", from, TimeSpan.FromMilliseconds(250));
            }
            catch (TimeoutException) when (attempt < 4)
            {
                // The wait had not started yet: move the clock again.
            }
        }
    }
}
