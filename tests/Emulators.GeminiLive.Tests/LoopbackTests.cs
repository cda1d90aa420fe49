using System.Runtime.InteropServices;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class LoopbackTests
{
    [Fact]
    public async Task Loopback_model_echoes_each_chunk_as_24k_audio_of_the_same_duration()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-bench-loopback"}""");

        const int chunks = 25; // 0.5 s of 20 ms chunks
        var samples = new List<short>();
        for (var i = 0; i < chunks; i++)
        {
            await client.SendAudioChunkAsync(Pcm.Constant(320, 1000));
            var frame = await client.ReceiveAsync();
            var part = Wire.AudioParts([frame!]).Single();
            Assert.Equal("audio/pcm;rate=24000", part.GetProperty("mimeType").GetString());
            samples.AddRange(MemoryMarshal.Cast<byte, short>(Convert.FromBase64String(part.GetProperty("data").GetString()!)).ToArray());
        }

        // 16 kHz → 24 kHz keeps the duration (one sample of interpolation latency at most).
        Assert.InRange(samples.Count, chunks * 480 - 1, chunks * 480);
        Assert.All(samples, s => Assert.Equal(1000, s));
    }

    [Fact]
    public async Task Loopback_interpolates_rather_than_repeating_samples()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-bench-loopback"}""");

        var ramp = new byte[320 * 2];
        for (var i = 0; i < 320; i++)
        {
            BitConverter.TryWriteBytes(ramp.AsSpan(2 * i), (short)(i * 30));
        }

        await client.SendAudioChunkAsync(ramp);
        var frame = await client.ReceiveAsync();
        var output = MemoryMarshal.Cast<byte, short>(Convert.FromBase64String(Wire.AudioParts([frame!]).Single().GetProperty("data").GetString()!)).ToArray();

        // Output j sits at input position 2j/3: 0, 20, 40, 60 …
        Assert.Equal([0, 20, 40, 60, 80], output.Take(5).Select(s => (int)s));
    }

    [Fact]
    public async Task Loopback_turn_ends_at_a_resumable_boundary_covering_the_input_so_far()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-bench-loopback","sessionResumption":{"transparent":true}}""");
        var afterSetup = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");

        await client.SendAudioAsync(Pcm.Constant(1600, 1000)); // 0.1 s: messages 1..5
        await client.SendAsync("""{"realtimeInput":{"audioStreamEnd":true}}"""); // 6: the turn ends
        await client.WaitForAsync(Wire.IsTurnComplete);
        var update = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");

        // A resume with this handle needs nothing re-sent; without it, the only handle would be the one after setup.
        Assert.Equal("6", update.GetProperty("lastConsumedClientMessageIndex").GetString());
        Assert.NotEqual(afterSetup.GetProperty("newHandle").GetString(), update.GetProperty("newHandle").GetString());
    }

    [Fact]
    public async Task Loopback_ends_a_turn_where_the_vad_hears_silence_and_keeps_echoing()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-bench-loopback","sessionResumption":{"transparent":true}}""");
        await client.WaitForAsync(Wire.IsResumable);

        var speech = Pcm.Constant(16000 * 3 / 10, 8000); // 0.3 s of speech: messages 1..15
        var silence = Pcm.Silence(0.8);                  // then silence: the VAD ends the turn after 500 ms of it
        await client.SendAudioAsync([.. speech, .. silence]);
        var frames = await client.CollectUntilAsync(Wire.IsResumable);

        Assert.Contains(frames, f => Wire.IsTurnComplete(f.Json));
        var index = long.Parse(frames[^1].Json.GetProperty("sessionResumptionUpdate").GetProperty("lastConsumedClientMessageIndex").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(index, 15 + 25, 15 + 40); // speech, then the 500 ms of silence that ended it (+ VAD frame rounding)
        // Every chunk up to the turn's end was echoed, silence included.
        Assert.Equal(index, frames.Count(f => Wire.AudioParts([f]).Any()));
    }
}
