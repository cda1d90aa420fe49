using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class InterruptionTests
{
    private const string Setup = $$$"""{"model":"{{{Wire.NativeAudioModel}}}","inputAudioTranscription":{},"outputAudioTranscription":{}}""";
    private static readonly string LongText = new('x', 80);

    [Fact]
    public async Task User_speech_during_generation_interrupts_and_stops_model_audio()
    {
        // Realtime pacing so the reply (~5 s of audio) is still generating when the user speaks.
        await using var host = await EmulatorHost.StartAsync("Output:GenerationSpeed=1", "Output:ChunkMs=100", "Vad:SilenceDurationMs=300");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync(LongText);
        await client.WaitForAsync(j => j.ToString().Contains("inlineData", StringComparison.Ordinal));
        await client.SendAudioAsync(Pcm.Concat(Pcm.Tone(0.4), Pcm.Silence(0.5)));

        var interruptedTurn = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var interruptedAt = interruptedTurn.FindIndex(f => Wire.IsInterrupted(f.Json));
        Assert.True(interruptedAt >= 0, "interrupted:true was sent");
        Assert.DoesNotContain(interruptedTurn, f => Wire.IsGenerationComplete(f.Json));
        Assert.True(Wire.AudioBytes(interruptedTurn) < 80 * 60 * 48, "model audio stopped early");
        Assert.Empty(Wire.AudioParts(interruptedTurn.Skip(interruptedAt)));

        // The speech that interrupted becomes the next user turn.
        var next = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("I heard 0.4 seconds of audio.", Wire.OutputTranscript(next));
    }

    [Fact]
    public async Task Interrupted_reply_keeps_only_what_was_sent_in_history()
    {
        await using var host = await EmulatorHost.StartAsync("Output:GenerationSpeed=1", "Output:ChunkMs=100");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync("one two three four five six seven eight nine ten eleven twelve");
        await client.WaitForAsync(j => j.ToString().Contains("outputTranscription", StringComparison.Ordinal));
        await client.SendTextAsync("history");
        var interrupted = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(interrupted, f => Wire.IsInterrupted(f.Json));
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        // user, partial model reply, then this request: two turns before it.
        Assert.Equal("History has 2 turns.", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task No_interruption_mode_lets_the_reply_finish_then_answers()
    {
        await using var host = await EmulatorHost.StartAsync("Output:GenerationSpeed=1", "Output:ChunkMs=100", "Vad:SilenceDurationMs=300");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"realtimeInputConfig":{"activityHandling":"NO_INTERRUPTION"}}""");

        await client.SendTextAsync("short reply");
        await client.WaitForAsync(j => j.ToString().Contains("inlineData", StringComparison.Ordinal));
        await client.SendAudioAsync(Pcm.Concat(Pcm.Tone(0.4), Pcm.Silence(0.5)));

        var first = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.DoesNotContain(first, f => Wire.IsInterrupted(f.Json));
        Assert.Contains(first, f => Wire.IsGenerationComplete(f.Json));
        Assert.Equal("Echo: short reply", Wire.OutputTranscript(first));

        var second = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("I heard 0.4 seconds of audio.", Wire.OutputTranscript(second));
    }

    [Fact]
    public async Task Speech_during_assumed_playback_after_turnComplete_sends_interrupted_alone()
    {
        // Unpaced generation and immediate turnComplete: the client is still "playing" afterwards.
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=300");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup);

        await client.SendTextAsync(LongText);
        await client.WaitForAsync(Wire.IsTurnComplete);
        await client.SendAudioAsync(Pcm.Tone(0.2));
        var next = await client.ReceiveAsync();

        Assert.Equal("""{"serverContent":{"interrupted":true}}""", next?.Raw);
    }
}
