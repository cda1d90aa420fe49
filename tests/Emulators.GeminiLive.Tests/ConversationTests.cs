using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class ConversationTests
{
    private const string Transcribed = $$$"""{"model":"{{{Wire.NativeAudioModel}}}","generationConfig":{"responseModalities":["AUDIO"]},"inputAudioTranscription":{},"outputAudioTranscription":{}}""";

    [Fact]
    public async Task Text_turn_gets_an_echo_as_chunked_24k_audio_with_transcript_and_usage()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Transcribed);

        await client.SendTextAsync("hello there");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("Echo: hello there", Wire.OutputTranscript(frames));
        var parts = Wire.AudioParts(frames).ToList();
        Assert.True(parts.Count >= 3, $"expected several audio chunks, got {parts.Count}");
        Assert.All(parts, p => Assert.Equal("audio/pcm;rate=24000", p.GetProperty("mimeType").GetString()));
        // 17 characters at 60 ms each, 24 kHz PCM16.
        Assert.Equal(17 * 60 * 24 * 2, Wire.AudioBytes(frames));

        var generationComplete = frames.FindIndex(f => Wire.IsGenerationComplete(f.Json));
        Assert.True(generationComplete >= 0 && generationComplete < frames.Count - 1, "generationComplete precedes turnComplete");

        var usage = frames[^1].Json.GetProperty("usageMetadata");
        Assert.True(usage.GetProperty("promptTokenCount").GetInt32() > 0);
        Assert.True(usage.TryGetProperty("responseTokenCount", out _), "Live reports responseTokenCount");
        Assert.False(usage.TryGetProperty("candidatesTokenCount", out _));
        var audioTokens = usage.GetProperty("responseTokensDetails").EnumerateArray().Single();
        Assert.Equal("AUDIO", audioTokens.GetProperty("modality").GetString());
        // 1.02 s of audio at 25 tokens/s.
        Assert.Equal(26, audioTokens.GetProperty("tokenCount").GetInt32());
        Assert.Equal(
            usage.GetProperty("promptTokenCount").GetInt32() + usage.GetProperty("responseTokenCount").GetInt32(),
            usage.GetProperty("totalTokenCount").GetInt32());

        // Real traffic has an empty serverContent frame and an interim usage frame before the audio.
        Assert.Contains(frames, f => f.Raw == """{"serverContent":{}}""");
    }

    [Fact]
    public async Task ClientContent_turn_with_turnComplete_is_answered_and_without_it_only_appended()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Transcribed);

        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"first"}]}],"turnComplete":false}}""");
        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"second"}]}],"turnComplete":true}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("Echo: second", Wire.OutputTranscript(frames));
        Assert.Equal(1, frames.Count(f => Wire.IsTurnComplete(f.Json)));
    }

    [Fact]
    public async Task Audio_turn_with_automatic_vad_is_transcribed_and_answered_with_its_length()
    {
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=300");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Transcribed);

        await client.SendAudioAsync(Pcm.Concat(Pcm.Silence(0.4), Pcm.Tone(1.5), Pcm.Silence(0.6)));
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("[audio 1.5 s]", Wire.InputTranscript(frames));
        Assert.Equal("I heard 1.5 seconds of audio.", Wire.OutputTranscript(frames));
        var prompt = frames[^1].Json.GetProperty("usageMetadata").GetProperty("promptTokensDetails").EnumerateArray()
            .Single(d => d.GetProperty("modality").GetString() == "AUDIO");
        Assert.Equal(38, prompt.GetProperty("tokenCount").GetInt32()); // 1.5 s × 25 tokens/s, rounded
    }

    [Fact]
    public async Task Silence_alone_is_not_a_turn()
    {
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=200");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Transcribed);

        await client.SendAudioAsync(Pcm.Silence(2));
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AudioStreamEnd_flushes_open_speech()
    {
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=2000");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Transcribed);

        await client.SendAudioAsync(Pcm.Tone(0.6));
        await client.SendAsync("""{"realtimeInput":{"audioStreamEnd":true}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("I heard 0.6 seconds of audio.", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task Manual_activity_brackets_the_user_turn()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync($$$$"""{"model":"{{{{Wire.NativeAudioModel}}}}","outputAudioTranscription":{},"realtimeInputConfig":{"automaticActivityDetection":{"disabled":true}}}""");

        // With automatic detection off, silence does not end anything: only activityEnd does.
        await client.SendAsync("""{"realtimeInput":{"activityStart":{}}}""");
        await client.SendAudioAsync(Pcm.Concat(Pcm.Tone(0.5), Pcm.Silence(0.3)));
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Wire.IsTurnComplete, TimeSpan.FromMilliseconds(700)));
        await client.SendAsync("""{"realtimeInput":{"activityEnd":{}}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.Equal("I heard 0.8 seconds of audio.", Wire.OutputTranscript(frames));
    }

    [Fact]
    public async Task Activity_signals_with_automatic_vad_close_1007()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        await client.SendAsync("""{"realtimeInput":{"activityStart":{}}}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
    }

    [Fact]
    public async Task Text_modality_streams_text_parts()
    {
        await using var host = await EmulatorHost.StartAsync("Output:TextChunkChars=5");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-live-2.5-flash-preview","generationConfig":{"responseModalities":["TEXT"]}}""");

        await client.SendTextAsync("abcdefghij");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var text = string.Concat(frames
            .Where(f => f.Json.TryGetProperty("serverContent", out var c) && c.TryGetProperty("modelTurn", out _))
            .Select(f => f.Json.GetProperty("serverContent").GetProperty("modelTurn").GetProperty("parts")[0].GetProperty("text").GetString()));

        Assert.Equal("Echo: abcdefghij", text);
        Assert.Empty(Wire.AudioParts(frames));
        var response = frames[^1].Json.GetProperty("usageMetadata").GetProperty("responseTokensDetails")[0];
        Assert.Equal("TEXT", response.GetProperty("modality").GetString());
    }

    [Fact]
    public async Task TurnComplete_waits_for_assumed_playback_by_default()
    {
        await using var host = await EmulatorHost.StartAsync("Output:TurnCompleteAfterPlayback=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        await client.SendTextAsync("0123456789"); // "Echo: 0123456789" = 16 chars = 0.96 s of audio
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var generationComplete = frames.Single(f => Wire.IsGenerationComplete(f.Json)).At;
        var firstAudio = frames.First(f => f.Raw.Contains("inlineData", StringComparison.Ordinal)).At;

        Assert.True(frames[^1].At - firstAudio >= TimeSpan.FromMilliseconds(850), "turnComplete comes after the audio could have played");
        Assert.True(frames[^1].At - generationComplete >= TimeSpan.FromMilliseconds(500), "a gap separates generationComplete and turnComplete");
    }

    [Fact]
    public async Task Usage_can_be_cumulative()
    {
        await using var host = await EmulatorHost.StartAsync("UsageCumulative=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        await client.SendTextAsync("one");
        var first = (await client.CollectUntilAsync(Wire.IsTurnComplete))[^1].Json.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32();
        await client.SendTextAsync("two");
        var second = (await client.CollectUntilAsync(Wire.IsTurnComplete))[^1].Json.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32();

        Assert.True(second > first * 1.5, $"cumulative totals grow: {first} then {second}");
    }

    [Fact]
    public async Task Initial_history_in_clientContent_is_taken_without_running_the_model()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","outputAudioTranscription":{},"historyConfig":{"initialHistoryInClientContent":true}}""");

        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"seeded"}]},{"role":"model","parts":[{"text":"ok"}]}],"turnComplete":true}}""");
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Wire.IsTurnComplete, TimeSpan.FromMilliseconds(500)));

        await client.SendTextAsync("recall");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Earlier you said: seeded", Wire.OutputTranscript(frames));
    }
}
