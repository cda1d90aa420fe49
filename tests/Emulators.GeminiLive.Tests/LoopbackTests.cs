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
}
