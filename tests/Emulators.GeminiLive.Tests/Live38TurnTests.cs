using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>3.8 turn shape: interactionStatus, extended thinking, per-turn usage, transcripts, clientContent, session limit.</summary>
public sealed class Live38TurnTests
{
    private const string ExtendedThinkingSetup =
        """{"model":"models/gemini-3.8-live-extended-thinking","generationConfig":{"thinkingConfig":{"thinkingLevel":"MEDIUM"}}}""";

    [Fact]
    public async Task Every_3_8_turnComplete_carries_interactionStatus_and_older_models_send_none()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var live38 = await host.ConnectAsync();
        await live38.SetupAsync(Live38.Setup());
        await live38.SendTextAsync("hello");
        var turn = await live38.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("IDLE", Live38.InteractionStatus(turn[^1].Json));

        await using var older = await host.ConnectAsync();
        await older.SetupAsync();
        await older.SendTextAsync("hello");
        var olderTurn = await older.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.DoesNotContain(olderTurn, f => Live38.InteractionStatus(f.Json) is not null);
    }

    [Fact]
    public async Task Extended_thinking_says_a_filler_then_answers_after_thinking()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "Live38:ThinkingTime=00:00:01.500");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(ExtendedThinkingSetup);

        await client.SendTextAsync("what is six times seven");
        var filler = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.NotEmpty(Wire.AudioParts(filler));
        Assert.Equal("Let me think about that.", Wire.OutputTranscript(filler));
        Assert.Equal("IN_PROGRESS", Live38.InteractionStatus(filler[^1].Json));
        Assert.False(filler[^1].Json.GetProperty("usageMetadata").TryGetProperty("thoughtsTokenCount", out _));

        // Still thinking: nothing before the thinking time is up on the emulator's clock.
        time.Advance(TimeSpan.FromSeconds(1.4));
        await Live38.WakeAsync(client);
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Live38.HasAudio, TimeSpan.FromMilliseconds(400)));

        time.Advance(TimeSpan.FromSeconds(0.1));
        await Live38.WakeAsync(client);
        var answer = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.NotEmpty(Wire.AudioParts(answer));
        Assert.Equal("Echo: what is six times seven", Wire.OutputTranscript(answer));
        Assert.Equal("IDLE", Live38.InteractionStatus(answer[^1].Json));

        var usage = answer[^1].Json.GetProperty("usageMetadata");
        Assert.Equal(136, usage.GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal("AUDIO", usage.GetProperty("responseTokensDetails")[0].GetProperty("modality").GetString());
        Assert.Equal(
            usage.GetProperty("promptTokenCount").GetInt32() + usage.GetProperty("responseTokenCount").GetInt32(),
            usage.GetProperty("totalTokenCount").GetInt32());
    }

    [Fact]
    public async Task Barge_in_during_the_filler_drops_the_pending_answer()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "Output:GenerationSpeed=4");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(ExtendedThinkingSetup);

        await client.SendTextAsync("first");
        await client.CollectUntilAsync(Live38.HasAudio);
        await client.SendTextAsync("second");
        var cut = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(cut, f => Wire.IsInterrupted(f.Json));

        var filler = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.Equal("Let me think about that.", Wire.OutputTranscript(filler));
        var answer = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.Equal("Echo: second", Wire.OutputTranscript(answer));
    }

    [Fact]
    public async Task Usage_on_3_8_is_per_turn_even_when_cumulative_usage_is_configured()
    {
        await using var host = await EmulatorHost.StartAsync("UsageCumulative=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup());

        await client.SendTextAsync("hello");
        var first = (await client.WaitForAsync(Wire.IsTurnComplete)).Json.GetProperty("usageMetadata");
        await client.SendTextAsync("hello");
        var second = (await client.WaitForAsync(Wire.IsTurnComplete)).Json.GetProperty("usageMetadata");

        Assert.Equal(first.GetProperty("responseTokenCount").GetInt32(), second.GetProperty("responseTokenCount").GetInt32());
        Assert.Equal("AUDIO", second.GetProperty("responseTokensDetails")[0].GetProperty("modality").GetString());
        Assert.Equal("TEXT", second.GetProperty("promptTokensDetails")[0].GetProperty("modality").GetString());
        Assert.False(second.TryGetProperty("thoughtsTokenCount", out _));
        Assert.Equal(
            second.GetProperty("promptTokenCount").GetInt32() + second.GetProperty("responseTokenCount").GetInt32(),
            second.GetProperty("totalTokenCount").GetInt32());
    }

    [Theory]
    [InlineData(true, "Echo: hello")]
    [InlineData(false, "")]
    public async Task Output_transcription_comes_unrequested_on_3_8_unless_turned_off(bool quirk, string expected)
    {
        await using var host = await EmulatorHost.StartAsync($"Live38:UnrequestedOutputTranscription={quirk}");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup());

        await client.SendTextAsync("hello");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal(expected, Wire.OutputTranscript(frames));
        Assert.NotEmpty(Wire.AudioParts(frames));
    }

    [Fact]
    public async Task ClientContent_with_turnComplete_interrupts_current_output_even_with_NO_INTERRUPTION()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "Output:GenerationSpeed=4");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(extra: "'realtimeInputConfig':{'activityHandling':'NO_INTERRUPTION'}"));

        await client.SendTextAsync("a fairly long first message");
        await client.CollectUntilAsync(Live38.HasAudio);

        // Context without turnComplete does not cut the reply; turnComplete does.
        await client.SendAsync("""{"clientContent":{"turns":[{"role":"model","parts":[{"text":"noted"}]}]}}""");
        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"second"}]}],"turnComplete":true}}""");
        var cut = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(cut, f => Wire.IsInterrupted(f.Json));

        var reply = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.Equal("Echo: second", Wire.OutputTranscript(reply));
        Assert.False(client.IsClosed);
    }

    [Fact]
    public async Task A_3_8_session_is_closed_1011_at_58_minutes_even_with_compression()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "ConnectionLifetime=00:00:00");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(extra: "'contextWindowCompression':{'slidingWindow':{}}"));

        time.Advance(TimeSpan.FromMinutes(58) - TimeSpan.FromSeconds(1));
        await Live38.WakeAsync(client);
        await client.SendTextAsync("still there?");
        var reply = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Echo: still there?", Wire.OutputTranscript(reply));

        time.Advance(TimeSpan.FromSeconds(1));
        await Live38.WakeAsync(client);
        await client.WaitForCloseAsync();
        Assert.Equal(1011, client.CloseCode);
        Assert.Equal("Deadline expired before operation could complete.", client.CloseReason);
    }
}
