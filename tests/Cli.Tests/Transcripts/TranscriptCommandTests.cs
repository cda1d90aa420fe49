using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Transcripts;

[Collection(CliCollection.Name)]
public sealed class TranscriptCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task Prints_the_transcript_of_a_talk_as_text_and_as_webvtt()
    {
        var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "transcribe this");

        // Segments reach Transcripts over the bus.
        var text = await Poll.UntilAsync(() => Vp.RunAsync(platform.TenantEnvironment, "transcript", sessionId),
            r => r.Stdout.Contains("assistant: Echo: transcribe this"), TimeSpan.FromSeconds(30));
        var vtt = await Vp.RunAsync(platform.TenantEnvironment, "transcript", sessionId, "--vtt");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("assistant: Echo: transcribe this", text.Stdout);
        Assert.True(vtt.ExitCode == 0, vtt.ToString());
        Assert.StartsWith("WEBVTT", vtt.Stdout);
        Assert.Matches(@"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n<v assistant>Echo: transcribe this", vtt.Stdout);
    }

    [Fact]
    public async Task An_unknown_session_exits_4()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "transcript", "sess_doesnotexist");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("session_not_found", result.Stderr);
    }
}
