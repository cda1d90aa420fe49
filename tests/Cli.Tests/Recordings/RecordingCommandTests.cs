using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Recordings;

[Collection(CliCollection.Name)]
public sealed class RecordingCommandTests(CliPlatform platform) : IDisposable
{
    private readonly string _directory = TestDirectories.Create("vp-recording");

    [Fact]
    public async Task Downloads_the_stereo_recording_of_a_recorded_talk()
    {
        var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "record me", "--record");
        var target = Path.Combine(_directory, "call.wav");

        // The recording is assembled and announced after the session ends.
        var result = await Poll.UntilAsync(() => Vp.RunAsync(platform.TenantEnvironment, "recording", sessionId, "-o", target),
            r => r.ExitCode == 0, TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.ToString());
        var wav = TestWav.Inspect(await File.ReadAllBytesAsync(target));
        Assert.Equal((2, 24_000, 16), (wav.Channels, wav.SampleRate, wav.Bits));
        Assert.True(wav.Rms > 100, $"the recording is silent (RMS {wav.Rms:0}); the assistant's reply should be on the right");
    }

    [Fact]
    public async Task A_session_without_a_recording_exits_4_and_writes_nothing()
    {
        var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "do not record");
        var target = Path.Combine(_directory, "none.wav");

        var result = await Vp.RunAsync(platform.TenantEnvironment, "recording", sessionId, "-o", target);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("recording_not_found", result.Stderr);
        Assert.False(File.Exists(target));
    }

    public void Dispose() => TestDirectories.TryDelete(_directory);
}
