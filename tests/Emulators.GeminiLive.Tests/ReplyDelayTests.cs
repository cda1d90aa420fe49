using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>
/// <c>ReplyDelays:&lt;model&gt;</c> on the emulator's clock (a FakeTimeProvider): the configured model's reply audio
/// starts only once the clock has moved on by the delay; another model answers with the clock standing still. A
/// goAway scheduled 1 s after connecting marks a point on the same clock that the reply must not precede.
/// </summary>
public sealed class ReplyDelayTests
{
    private const string SlowModel = "gemini-live-slow";

    [Fact]
    public async Task The_configured_model_waits_for_its_delay_and_another_model_does_not()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time,
            $"ReplyDelays:{SlowModel}=00:00:02", "ConnectionLifetime=00:01:00", "GoAwayLeadTime=00:00:59");

        await using (var fast = await host.ConnectAsync())
        {
            await fast.SetupAsync();
            await fast.SendTextAsync("hello");
            var reply = await fast.CollectUntilAsync(Wire.IsGenerationComplete);
            Assert.NotEmpty(Wire.AudioParts(reply));
        }

        await using var slow = await host.ConnectAsync();
        await slow.SetupAsync($$"""{"model":"models/{{SlowModel}}"}""");
        await slow.SendTextAsync("hello");
        // The reply's first message: the turn has begun and its first output is due 2 s from now.
        var begun = await slow.CollectUntilAsync(j => j.Has("serverContent"));

        time.Advance(TimeSpan.FromSeconds(1));
        await WakeAsync(slow);
        var beforeGoAway = await slow.CollectUntilAsync(j => j.Has("goAway"));
        var early = Wire.AudioParts([.. begun, .. beforeGoAway]).Count();
        Assert.True(early == 0, $"{early} reply audio chunks before the clock reached the delay");

        time.Advance(TimeSpan.FromSeconds(1));
        await WakeAsync(slow);
        var delayed = await slow.CollectUntilAsync(Wire.IsGenerationComplete);
        Assert.NotEmpty(Wire.AudioParts(delayed));
    }

    /// <summary>
    /// 20 ms of silence: no turn for the VAD, but it wakes the connection's loop, which then looks at the clock again
    /// (its own timer may have been armed just before the test advanced the clock).
    /// </summary>
    private static Task WakeAsync(LiveClient client) => client.SendAudioChunkAsync(new byte[640]);
}
