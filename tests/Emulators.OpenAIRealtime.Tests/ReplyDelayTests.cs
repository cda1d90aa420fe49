using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>
/// <c>ReplyDelays:&lt;model&gt;</c>: the configured model's responses start their output only once the emulator's clock has
/// moved on by the delay; other models answer at once. The clock is a FakeTimeProvider, so nothing here depends on the
/// machine's speed: an unpaced response without a delay is written in one go right after response.created, so a
/// client event answered in between proves the output was held back.
/// </summary>
public sealed class ReplyDelayTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task The_configured_model_waits_for_its_delay_and_another_model_does_not()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, ("OpenAIEmulator:ReplyDelays:gpt-realtime-mini", "00:00:00.250"));

        // Another model: the whole response follows response.created with the clock standing still.
        await using (var fast = await RealtimeTestClient.ConnectReadyAsync(host, "gpt-realtime"))
        {
            await AskAsync(fast);
            Assert.Equal("response.output_item.added", (await fast.NextAsync()).Type());
            await fast.CollectUntilAsync("response.done");
        }

        await using var slow = await RealtimeTestClient.ConnectReadyAsync(host, "gpt-realtime-mini");
        await AskAsync(slow);
        await ProbeAsync(slow);                       // no output yet at +0
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        await ProbeAsync(slow);                       // nor 1 ms before the delay is up
        time.Advance(TimeSpan.FromMilliseconds(1));
        var output = await slow.CollectUntilAsync("response.done");
        Assert.Equal("response.output_item.added", output[0].Type());
        Assert.Equal("completed", output[^1].GetProperty("response").Str("status"));
    }

    /// <summary>A user message, then response.create; returns once response.created has arrived.</summary>
    private static async Task AskAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hi" } } } });
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("response.created");
    }

    /// <summary>A client event with an immediate answer: the next event must be that answer, not response output.</summary>
    private static async Task ProbeAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }
}
