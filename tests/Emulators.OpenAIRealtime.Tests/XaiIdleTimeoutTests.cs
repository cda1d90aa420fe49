using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>
/// <c>Xai:IdleTimeout</c> on a FakeTimeProvider: nothing before the timeout, then
/// <c>input_audio_buffer.timeout_triggered</c> and a proactive response, and the timer runs again after that response.
/// A probe (input_audio_buffer.clear, answered at once) proves nothing else was sent while the clock stood still.
/// </summary>
public sealed class XaiIdleTimeoutTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Idle_timeout_triggers_a_proactive_response_and_rearms_after_it()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, ("OpenAIEmulator:Xai:IdleTimeout", "00:00:08"));
        await using var client = await RealtimeTestClient.ConnectAsync(host.XaiUri(), "xai-key");
        await client.ExpectAsync("conversation.created");
        await client.ExpectAsync("session.created");

        time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        await ProbeAsync(client);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await ExpectProactiveTurnAsync(client);

        await ProbeAsync(client);
        time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        await ProbeAsync(client);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await ExpectProactiveTurnAsync(client);
    }

    [Fact]
    public async Task User_speech_postpones_the_timeout()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, ("OpenAIEmulator:Xai:IdleTimeout", "00:00:08"));
        await using var client = await RealtimeTestClient.ConnectAsync(host.XaiUri(), "xai-key");
        await client.ExpectAsync("conversation.created");
        await client.ExpectAsync("session.created");

        time.Advance(TimeSpan.FromSeconds(5));
        await client.AppendAsync(TestAudio.Pcm16(TestAudio.Tone(500), TestAudio.Silence(400)));
        var turn = await client.CollectUntilAsync("rate_limits.updated");
        Assert.Equal("input_audio_buffer.speech_started", turn[0].Type());
        Assert.DoesNotContain(turn, e => e.Type() == "input_audio_buffer.timeout_triggered");

        // The timer restarted when the answer finished: 8 s from then, not from the session start.
        time.Advance(TimeSpan.FromSeconds(5));
        await ProbeAsync(client);
        time.Advance(TimeSpan.FromSeconds(3));
        await ExpectProactiveTurnAsync(client);
    }

    [Fact]
    public async Task No_timeout_when_the_option_is_off()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time);
        await using var client = await RealtimeTestClient.ConnectAsync(host.XaiUri(), "xai-key");
        await client.ExpectAsync("conversation.created");
        await client.ExpectAsync("session.created");
        time.Advance(TimeSpan.FromMinutes(10));
        await ProbeAsync(client);
    }

    private static async Task ExpectProactiveTurnAsync(RealtimeTestClient client)
    {
        Assert.Equal("input_audio_buffer.timeout_triggered", (await client.NextAsync()).Type());
        var events = await client.CollectUntilAsync("response.done");
        Assert.Equal("response.created", events[0].Type());
        var response = events[^1].GetProperty("response");
        Assert.Equal("completed", response.Str("status"));
        Assert.Equal("assistant", response.GetProperty("output")[0].Str("role"));
        await client.ExpectAsync("rate_limits.updated");
    }

    private static async Task ProbeAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type());
    }
}
