using System.Diagnostics;
using System.Globalization;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public async Task GoAway_with_timeLeft_precedes_the_close_at_connection_lifetime()
    {
        await using var host = await EmulatorHost.StartAsync("ConnectionLifetime=00:00:03", "GoAwayLeadTime=00:00:01.500");
        var watch = Stopwatch.StartNew();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        var goAway = await client.WaitForAsync(j => j.Has("goAway"));
        var goAwayAt = watch.Elapsed;
        var timeLeft = goAway.Json.GetProperty("goAway").GetProperty("timeLeft").GetString()!;
        await client.WaitForCloseAsync();
        var closedAt = watch.Elapsed;

        Assert.EndsWith("s", timeLeft);
        var seconds = double.Parse(timeLeft.TrimEnd('s'), CultureInfo.InvariantCulture);
        // goAway comes the lead time before the end, or at setupComplete if the setup took longer than lifetime minus
        // lead time (a loaded machine): either way timeLeft is what is left, and the close comes then.
        Assert.InRange(seconds, 0.1, 1.5);
        Assert.InRange(goAwayAt.TotalSeconds, 1.2, 2.9);
        Assert.InRange(closedAt.TotalSeconds, 2.7, 4.5);
        Assert.InRange((closedAt - goAwayAt).TotalSeconds, seconds - 0.3, seconds + 0.8);
        Assert.Equal(1011, client.CloseCode);
        Assert.Equal("Deadline expired before operation could complete.", client.CloseReason);
    }

    [Fact]
    public async Task GoAway_silence_mode_sends_nothing_after_goAway()
    {
        await using var host = await EmulatorHost.StartAsync("ConnectionLifetime=00:00:02", "GoAwayLeadTime=00:00:01.500", "GoAwaySilence=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();
        await client.WaitForAsync(j => j.Has("goAway"));

        await client.SendTextAsync("anyone there?");
        var after = await client.WaitForCloseAsync();

        Assert.Empty(after);
        Assert.Equal(1011, client.CloseCode);
    }

    [Fact]
    public async Task Audio_session_without_compression_is_capped_and_cannot_be_resumed()
    {
        await using var host = await EmulatorHost.StartAsync("SessionCapWithoutCompression=00:00:02", "GoAwayLeadTime=00:00:01");
        var watch = Stopwatch.StartNew();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","sessionResumption":{}}""");
        var handle = Wire.Handle((await client.WaitForAsync(Wire.IsResumable)).Json)!;

        var frames = await client.WaitForCloseAsync();
        Assert.Contains(frames, f => f.Json.Has("goAway"));
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.7, 4);
        Assert.Equal(1011, client.CloseCode);

        await using var resumed = await host.ConnectAsync();
        await resumed.SendSetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","sessionResumption":{"handle":"{{{handle}}}"}}""");
        await resumed.WaitForCloseAsync();
        Assert.Equal(1007, resumed.CloseCode);
    }

    [Fact]
    public async Task Session_cap_counts_time_across_resumed_connections()
    {
        await using var host = await EmulatorHost.StartAsync("SessionCapWithoutCompression=00:00:03", "GoAwayLeadTime=00:00:00.500");
        await using var first = await host.ConnectAsync();
        await first.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","sessionResumption":{}}""");
        var handle = Wire.Handle((await first.WaitForAsync(Wire.IsResumable)).Json)!;
        await Task.Delay(2000);
        await first.CloseAsync();

        var watch = Stopwatch.StartNew();
        await using var second = await host.ConnectAsync();
        await second.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","sessionResumption":{"handle":"{{{handle}}}"}}""");
        await second.WaitForCloseAsync();

        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 2.5);
        Assert.Equal(1011, second.CloseCode);
    }

    [Fact]
    public async Task Video_shortens_the_cap()
    {
        await using var host = await EmulatorHost.StartAsync("SessionCapWithVideo=00:00:01.500", "GoAwayLeadTime=00:00:00.500");
        var watch = Stopwatch.StartNew();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();
        await client.SendAsync("""{"realtimeInput":{"video":{"data":"/9j/4AAQ","mimeType":"image/jpeg"}}}""");

        await client.WaitForCloseAsync();
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.2, 3.5);
        Assert.Equal(1011, client.CloseCode);
    }

    [Fact]
    public async Task With_compression_the_audio_cap_does_not_apply_and_old_turns_are_dropped()
    {
        await using var host = await EmulatorHost.StartAsync("SessionCapWithoutCompression=00:00:01");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync($$$$"""{"model":"{{{{Wire.NativeAudioModel}}}}","outputAudioTranscription":{},"contextWindowCompression":{"triggerTokens":"40","slidingWindow":{"targetTokens":"20"}}}""");

        for (var i = 0; i < 4; i++)
        {
            await client.SendTextAsync("a fairly long message that costs tokens " + i);
            await client.WaitForAsync(Wire.IsTurnComplete);
        }

        await Task.Delay(1200);
        await client.SendTextAsync("history");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.False(client.IsClosed);
        var count = int.Parse(Wire.OutputTranscript(frames).Split(' ')[2], CultureInfo.InvariantCulture);
        Assert.True(count < 8, $"sliding window dropped old turns, {count} left");
    }
}
