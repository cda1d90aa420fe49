using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>
/// 3.8 asynchronous function calls: after a toolCall for a NON_BLOCKING function (the 3.8 default) the model keeps
/// talking; the result is spoken per <c>scheduling</c>. Paced output on a FakeTimeProvider keeps the filler turn in
/// progress while the test answers the call.
/// </summary>
public sealed class Live38AsyncToolTests
{
    private static readonly string Setup = Live38.Setup(extra: "'tools':" + Live38.LookupTools.Replace('"', '\''));

    [Fact]
    public async Task The_model_keeps_talking_after_a_non_blocking_call_and_reports_it_in_progress()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {}");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        // No toolResponse was sent: the filler audio follows the toolCall regardless.
        var call = Live38.IndexOf(frames, j => j.Has("toolCall"));
        var audio = Live38.IndexOf(frames, Live38.HasAudio);
        Assert.InRange(call, 0, int.MaxValue);
        Assert.True(audio > call, "filler audio after the toolCall");
        Assert.Equal("Let me check that.", Wire.OutputTranscript(frames));
        Assert.Equal("IN_PROGRESS", Live38.InteractionStatus(frames[^1].Json));
    }

    [Fact]
    public async Task When_idle_result_is_spoken_after_the_current_turn()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "Output:GenerationSpeed=4");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {}");
        var started = await client.CollectUntilAsync(Live38.HasAudio);
        var id = Live38.CallId(started);

        // The filler is still being spoken (the clock stands still): the result waits for its end.
        await client.SendAsync(Live38.ToolResponse(id, "WHEN_IDLE"));
        var filler = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.DoesNotContain(filler, f => Wire.IsInterrupted(f.Json));
        Assert.Equal("Let me check that.", Wire.OutputTranscript([.. started, .. filler]));
        Assert.Equal("IN_PROGRESS", Live38.InteractionStatus(filler[^1].Json));

        var result = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: 42", Wire.OutputTranscript(result));
        Assert.Equal("IDLE", Live38.InteractionStatus(result[^1].Json));
    }

    [Theory]
    [InlineData("INTERRUPT")]
    [InlineData("INTERRUPTED")]
    public async Task Interrupt_result_cuts_the_current_output_and_is_spoken_now(string scheduling)
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time, "Output:GenerationSpeed=4");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId(await client.CollectUntilAsync(Live38.HasAudio));

        await client.SendAsync(Live38.ToolResponse(id, scheduling));
        var cut = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(cut, f => Wire.IsInterrupted(f.Json));
        Assert.DoesNotContain(cut, f => Wire.IsGenerationComplete(f.Json));
        Assert.Equal("IN_PROGRESS", Live38.InteractionStatus(cut[^1].Json));

        var result = await Live38.RunClockUntilAsync(client, time, Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: 42", Wire.OutputTranscript(result));
        Assert.Equal("IDLE", Live38.InteractionStatus(result[^1].Json));
    }

    [Fact]
    public async Task Interrupt_result_waits_while_the_user_is_speaking()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId(await client.CollectUntilAsync(Wire.IsTurnComplete));

        await client.SendAudioAsync(Pcm.Tone(1.0));
        await client.SendAsync(Live38.ToolResponse(id, "INTERRUPT"));
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Live38.HasAudio, TimeSpan.FromMilliseconds(500)));

        // End of speech: the held result is spoken first, then the reply to what the user said.
        await client.SendAudioAsync(Pcm.Silence(0.8));
        var result = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: 42", Wire.OutputTranscript(result));
        Assert.Equal("IN_PROGRESS", Live38.InteractionStatus(result[^1].Json));
        var reply = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("I heard 1.0 seconds of audio.", Wire.OutputTranscript(reply));
        Assert.Equal("IDLE", Live38.InteractionStatus(reply[^1].Json));
    }

    [Fact]
    public async Task Interrupt_result_held_during_manual_activity_is_spoken_at_activityEnd()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(extra: "'realtimeInputConfig':{'automaticActivityDetection':{'disabled':true}},'tools':" + Live38.LookupTools.Replace('"', '\'')));

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId(await client.CollectUntilAsync(Wire.IsTurnComplete));

        await client.SendAsync("""{"realtimeInput":{"activityStart":{}}}""");
        await client.SendAsync(Live38.ToolResponse(id, "INTERRUPT"));
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Live38.HasAudio, TimeSpan.FromMilliseconds(500)));

        await client.SendAsync("""{"realtimeInput":{"activityEnd":{}}}""");
        var result = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: 42", Wire.OutputTranscript(result));
        Assert.Equal("IDLE", Live38.InteractionStatus(result[^1].Json));
    }

    [Fact]
    public async Task Silent_result_goes_into_context_without_speech()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId(await client.CollectUntilAsync(Wire.IsTurnComplete));

        await client.SendAsync(Live38.ToolResponse(id, "SILENT"));
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(500)));

        // call, filler, then the function call and its response taken silently: 4 turns before this request.
        await client.SendTextAsync("history");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("History has 4 turns.", Wire.OutputTranscript(frames));
        Assert.Equal("IDLE", Live38.InteractionStatus(frames[^1].Json));
    }

    [Fact]
    public async Task Barge_in_still_cancels_a_pending_blocking_call()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(extra: "'tools':[{'functionDeclarations':[{'name':'lookup','behavior':'BLOCKING'}]}]"));

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId([await client.WaitForAsync(j => j.Has("toolCall"))]);
        await client.SendTextAsync("never mind");

        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var cancellation = frames.Single(f => f.Json.Has("toolCallCancellation")).Json;
        Assert.Equal(id, cancellation.GetProperty("toolCallCancellation").GetProperty("ids")[0].GetString());
        Assert.Contains(frames, f => Wire.IsInterrupted(f.Json));
    }
}
