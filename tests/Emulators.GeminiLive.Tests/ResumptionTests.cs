using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class ResumptionTests
{
    private static string Setup(string resumption) =>
        $$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"sessionResumption":{{{resumption}}}}""";

    private static async Task<string> TalkAndGetHandleAsync(LiveClient client, string text)
    {
        await client.SendTextAsync(text);
        await client.WaitForAsync(Wire.IsTurnComplete);
        return Wire.Handle((await client.WaitForAsync(Wire.IsResumable)).Json)!;
    }

    [Fact]
    public async Task Resuming_with_a_handle_restores_the_conversation()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("{}"));
        var handle = await TalkAndGetHandleAsync(first, "remember the apples");
        await first.CloseAsync();

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Setup($$$"""{"handle":"{{{handle}}}"}"""));
        await second.SendTextAsync("recall");
        var frames = await second.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Earlier you said: remember the apples", Wire.OutputTranscript(frames));

        await second.SendTextAsync("history");
        frames = await second.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("History has 4 turns.", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task After_goAway_and_the_lifetime_close_the_last_handle_resumes()
    {
        await using var host = await EmulatorHost.StartAsync("ConnectionLifetime=00:00:03", "GoAwayLeadTime=00:00:01");
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("""{"transparent":true}"""));
        var handle = await TalkAndGetHandleAsync(first, "before the rollover");
        await first.WaitForCloseAsync();
        Assert.Contains(first.Received, f => f.Json.Has("goAway"));
        Assert.Equal(1011, first.CloseCode);

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Setup($$$"""{"handle":"{{{handle}}}","transparent":true}"""));
        await second.SendTextAsync("recall");
        var frames = await second.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Earlier you said: before the rollover", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task A_fresh_session_has_no_memory()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));

        await client.SendTextAsync("recall");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Nothing was said earlier.", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task Resume_while_the_old_connection_is_open_is_rejected()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("{}"));
        var handle = await TalkAndGetHandleAsync(first, "hello");

        await using var second = await host.ConnectAsync();
        await second.SendSetupAsync(Setup($$$"""{"handle":"{{{handle}}}"}"""));
        var frames = await second.WaitForCloseAsync();
        Assert.Empty(frames);
        Assert.Equal(1011, second.CloseCode);

        // The original connection is unaffected.
        await first.SendTextAsync("still here");
        var reply = await first.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Echo: still here", Wire.OutputTranscript(reply));
    }

    [Fact]
    public async Task Expired_and_unknown_handles_are_rejected()
    {
        await using var host = await EmulatorHost.StartAsync("ResumptionHandleValidity=00:00:01");
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("{}"));
        var handle = await TalkAndGetHandleAsync(first, "hello");
        await first.CloseAsync();
        await Task.Delay(1500);

        await using var expired = await host.ConnectAsync();
        await expired.SendSetupAsync(Setup($$$"""{"handle":"{{{handle}}}"}"""));
        await expired.WaitForCloseAsync();
        Assert.Equal(1007, expired.CloseCode);

        await using var unknown = await host.ConnectAsync();
        await unknown.SendSetupAsync(Setup("""{"handle":"not-a-handle"}"""));
        await unknown.WaitForCloseAsync();
        Assert.Equal(1007, unknown.CloseCode);
    }

    [Fact]
    public async Task A_handle_within_validity_resumes_after_the_old_socket_closed()
    {
        await using var host = await EmulatorHost.StartAsync("ResumptionHandleValidity=00:00:05");
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("{}"));
        var handle = await TalkAndGetHandleAsync(first, "hello");
        await first.CloseAsync();
        await Task.Delay(500);

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Setup($$$"""{"handle":"{{{handle}}}"}"""));
    }

    [Fact]
    public async Task Updates_are_not_resumable_during_generation_and_resumable_at_turn_end()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));
        var afterSetup = await client.ReceiveAsync();
        Assert.True(Wire.IsResumable(afterSetup!.Json), "a handle follows setupComplete");

        await client.SendTextAsync("hi");
        var frames = await client.CollectUntilAsync(Wire.IsResumable);
        var notResumable = frames.FindIndex(f => f.Raw == """{"sessionResumptionUpdate":{}}""");
        var firstAudio = frames.FindIndex(f => f.Raw.Contains("inlineData", StringComparison.Ordinal));
        var turnComplete = frames.FindIndex(f => Wire.IsTurnComplete(f.Json));
        Assert.InRange(notResumable, 0, firstAudio);
        Assert.True(turnComplete < frames.Count - 1, "the resumable update follows turnComplete");
    }

    [Fact]
    public async Task Explicit_not_resumable_shape_can_be_chosen()
    {
        await using var host = await EmulatorHost.StartAsync("Resumption:NotResumableShape=Explicit");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));
        await client.SendTextAsync("hi");

        var update = await client.WaitForAsync(j => j.Has("sessionResumptionUpdate") && !Wire.IsResumable(j));
        Assert.Equal("""{"sessionResumptionUpdate":{"newHandle":"","resumable":false}}""", update.Raw);
    }

    [Fact]
    public async Task No_updates_without_sessionResumption_in_setup()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();
        await client.SendTextAsync("hi");

        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("sessionResumptionUpdate"), TimeSpan.FromMilliseconds(300)));
        Assert.DoesNotContain(frames, f => f.Json.Has("sessionResumptionUpdate"));
    }

    [Fact]
    public async Task Transparent_mode_reports_lastConsumedClientMessageIndex_as_an_int64_string()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("""{"transparent":true}"""));
        var afterSetup = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");
        Assert.Equal("0", afterSetup.GetProperty("lastConsumedClientMessageIndex").GetString());

        await client.SendAudioAsync(Pcm.Silence(0.1)); // 5 messages: indexes 1..5
        await client.SendTextAsync("hi");               // index 6
        await client.WaitForAsync(Wire.IsTurnComplete);
        var update = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");
        Assert.Equal("6", update.GetProperty("lastConsumedClientMessageIndex").GetString());
    }

    [Fact]
    public async Task Without_transparent_there_is_no_index()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));
        var update = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");
        Assert.False(update.TryGetProperty("lastConsumedClientMessageIndex", out _));
    }

    [Fact]
    public async Task Resuming_with_another_model_is_rejected()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("{}"));
        var handle = await TalkAndGetHandleAsync(first, "hello");
        await first.CloseAsync();

        await using var second = await host.ConnectAsync();
        await second.SendSetupAsync($$$"""{"model":"models/gemini-live-2.5-flash-preview","sessionResumption":{"handle":"{{{handle}}}"}}""");
        await second.WaitForCloseAsync();
        Assert.Equal(1007, second.CloseCode);
    }
}
