using System.Text.RegularExpressions;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Continuity;

/// <summary>OpenAI with a 10-second session cap; the Router rolls over from 4 s before it.</summary>
public sealed class OpenAIRolloverPlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["OpenAIEmulator__SessionMaxDuration"] = "00:00:10",
        ["OpenAIEmulator__ReplyMsPerCharacter"] = "10",
        // Replies stream at the pace they play, so a barge-in lands while the long reply is still being generated
        // (see GeminiRolloverPlatform).
        ["OpenAIEmulator__ResponseRealtimeFactor"] = "1",
        ["OpenAIEmulator__Record__InputAudio"] = "true",
        ["Providers__OpenAI__SessionMaxDuration"] = "00:00:10",
        ["Providers__OpenAI__RolloverMargin"] = "00:00:04",
    };
}

/// <summary>
/// A one-minute OpenAI session crosses the 10-second cap at least five times with spoken turns, text turns, tool calls
/// and barge-ins in between: the client notices nothing, and the provider sessions together took in every input byte
/// exactly once, in order — except an utterance a forced rollover gave the new connection again (the old one never
/// committed it), which must be exactly the previous connection's last input and logged by the Router as such.
/// </summary>
public partial class OpenAIRolloverSoakTests(OpenAIRolloverPlatform platform, ITestOutputHelper output) : IClassFixture<OpenAIRolloverPlatform>
{
    [Fact]
    public async Task A_minute_of_audio_across_five_cap_crossings_arrives_exactly_once()
    {
        using var record = new EmulatorInputRecord(platform.Endpoints.Emulators["openai-emulator"]);
        await using var conversation = await ContinuousConversation.StartAsync(platform.RealtimeUri("gpt-realtime-2"), platform.Endpoints.DevApiKey);
        await conversation.RunAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(3.3));
        await conversation.SettleAsync(TimeSpan.FromSeconds(20));
        try
        {
            ContinuityAssertions.ConversationIsUninterrupted(conversation, msPerCharacter: 10);

            var sessions = (await record.SessionsAsync()).OrderBy(s => s.CreatedAt).ToList();
            output.WriteLine($"{sessions.Count} OpenAI sessions (bytes, oldest first): {string.Join(", ", sessions.Select(s => s.InputAudioBytes))}");
            Assert.InRange(sessions.Count, 6, 12);
            var audio = new List<byte[]>();
            foreach (var session in sessions)
            {
                Assert.Equal(24000, session.SampleRate);
                audio.Add(await record.InputAudioAsync(session.Id));
            }
            var repeatsMs = new List<int>();
            var received = ContinuityAssertions.WithoutRolloverRepeats(audio, repeatsMs);
            var replayedMs = File.ReadLines(platform.LogPath).Select(line => UtteranceReplay().Match(line))
                .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).Where(ms => ms > 0).ToList();
            output.WriteLine($"repeated at a session's start: [{string.Join(", ", repeatsMs)}] ms; utterances the Router replayed: [{string.Join(", ", replayedMs)}] ms");
            Assert.Equal(replayedMs, repeatsMs);

            var sent = conversation.SentAudio;
            Assert.Equal(sent.Length, received.Length);
            Assert.True(sent.AsSpan().SequenceEqual(received), $"input audio differs from byte {sent.AsSpan().CommonPrefixLength(received)} on");
        }
        catch
        {
            // The continuity lines first: a long tail may be cut where failures are collected.
            output.WriteLine(string.Join(Environment.NewLine, File.ReadLines(platform.LogPath).Where(line => ContinuityLine().IsMatch(line)).TakeLast(80)));
            output.WriteLine(platform.TailOfLog(100));
            throw;
        }
    }

    [GeneratedRegex(@"OpenAI rollover mid-utterance: (\d+) ms of uncommitted audio sent again")]
    private static partial Regex UtteranceReplay();

    [GeneratedRegex("rolled over|rolling over|forcing|rollover|fence|re-attach|reattach|warn:|fail:", RegexOptions.IgnoreCase)]
    private static partial Regex ContinuityLine();
}
