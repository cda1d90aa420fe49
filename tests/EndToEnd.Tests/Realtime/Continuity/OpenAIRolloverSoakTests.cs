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
/// exactly once, in order.
/// </summary>
public class OpenAIRolloverSoakTests(OpenAIRolloverPlatform platform, ITestOutputHelper output) : IClassFixture<OpenAIRolloverPlatform>
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

            var sessions = await record.SessionsAsync();
            output.WriteLine($"{sessions.Count} OpenAI sessions: {string.Join(", ", sessions.Select(s => s.InputAudioBytes))}");
            Assert.InRange(sessions.Count, 6, 12);
            var received = new List<byte>();
            foreach (var session in sessions)
            {
                Assert.Equal(24000, session.SampleRate);
                received.AddRange(await record.InputAudioAsync(session.Id));
            }
            var sent = conversation.SentAudio;
            Assert.Equal(sent.Length, received.Count);
            Assert.True(sent.AsSpan().SequenceEqual(received.ToArray()), $"input audio differs from byte {sent.AsSpan().CommonPrefixLength(received.ToArray())} on");
        }
        catch
        {
            output.WriteLine(platform.TailOfLog(200));
            throw;
        }
    }
}
