using VoicePlatform.Audio;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Continuity;

/// <summary>Gemini with its limits compressed: connections live 3 s, goAway comes 1 s before the close.</summary>
public class GeminiRolloverPlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["GeminiEmulator__ConnectionLifetime"] = "00:00:03",
        ["GeminiEmulator__GoAwayLeadTime"] = "00:00:01",
        ["GeminiEmulator__Output__MsPerCharacter"] = "10",
        // Replies are generated at the pace they play: a barge-in is a cancel only while the model is still generating
        // (after that the response has completed and the speech is the next turn), and at the default 4× the long
        // reply's generation took 1.3 s, which a loaded CI machine's barge-in once missed.
        ["GeminiEmulator__Output__GenerationSpeed"] = "1",
        ["GeminiEmulator__Record__InputAudio"] = "true",
    };
}

/// <summary>One <see cref="GeminiRolloverPlatform"/> for the test classes that use it (one boot instead of one each).</summary>
[CollectionDefinition(Name)]
public sealed class GeminiRolloverCollection : ICollectionFixture<GeminiRolloverPlatform>
{
    public const string Name = "Gemini rollover platform";
}

/// <summary>The same platform, but the emulator rejects every resumption handle (it is expired as soon as it is used).</summary>
public sealed class GeminiRejectedHandlePlatform : GeminiRolloverPlatform
{
    protected override Dictionary<string, string?> Environment => new(base.Environment)
    {
        ["GeminiEmulator__ResumptionHandleValidity"] = "00:00:00",
    };
}

/// <summary>
/// Two minutes of continuous audio on Gemini across ≈40 connection rollovers, with spoken turns, text turns, tool calls
/// and barge-ins in between: the client notices nothing, and the emulator took in every input byte exactly once.
/// </summary>
[Collection(GeminiRolloverCollection.Name)]
public class GeminiRolloverSoakTests(GeminiRolloverPlatform platform, ITestOutputHelper output)
{
    internal const int MsPerCharacter = 10;

    [Fact]
    public async Task Two_minutes_of_audio_across_forty_rollovers_arrive_exactly_once()
    {
        using var record = new EmulatorInputRecord(platform.Endpoints.Emulators["gemini-emulator"]);
        await using var conversation = await ContinuousConversation.StartAsync(platform.RealtimeUri("gemini-3.1-flash-live"), platform.Endpoints.DevApiKey);
        await conversation.RunAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(3.3));
        await conversation.SettleAsync(TimeSpan.FromSeconds(20));
        try
        {
            ContinuityAssertions.ConversationIsUninterrupted(conversation, MsPerCharacter);

            // One Gemini session, resumed every ~2 s (goAway comes 2 s in; the session.update before any audio was a fresh
            // setup; the audio before the first spoken turn is resumed like the rest): what it took in is what the client
            // said (at 16 kHz), once, in order.
            var session = Assert.Single(await record.SessionsAsync(), s => s.InputAudioBytes > 0);
            output.WriteLine($"{session.Connections} connections, {session.InputAudioBytes} input bytes");
            Assert.InRange(session.Connections, 40, 80);
            Assert.False(session.Truncated);
            Assert.Equal(16000, session.SampleRate);
            var expected = At16kHz(conversation.SentAudio);
            var received = await record.InputAudioAsync(session.Id);
            Assert.Equal(expected.Length, received.Length);
            Assert.True(expected.AsSpan().SequenceEqual(received), $"input audio differs from byte {expected.AsSpan().CommonPrefixLength(received)} on");
        }
        catch
        {
            output.WriteLine(platform.TailOfLog(200));
            throw;
        }
    }

    /// <summary>The Router's resampling of the client's 24 kHz stream (a streaming resampler: chunking does not matter).</summary>
    internal static byte[] At16kHz(byte[] pcm24k)
    {
        var transcoder = new AudioTranscoder(AudioFormat.Pcm16(24000), AudioFormat.Pcm16At16kHz);
        var result = new byte[transcoder.GetMaxOutputBytes(pcm24k.Length)];
        var written = transcoder.Transcode(pcm24k, result);
        return result[..written];
    }
}

/// <summary>
/// The same conversation when every handle is rejected: each rollover rebuilds the context from the Redis history and
/// the conversation carries on. A rebuild cannot resume a half-heard turn, so the turn's audio so far goes to the new
/// connection again: the emulator's sessions cover the client's stream in order, without gaps.
/// </summary>
public class GeminiRejectedHandleSoakTests(GeminiRejectedHandlePlatform platform, ITestOutputHelper output) : IClassFixture<GeminiRejectedHandlePlatform>
{
    [Fact]
    public async Task Rollovers_with_rejected_handles_rebuild_the_context_and_lose_nothing()
    {
        using var record = new EmulatorInputRecord(platform.Endpoints.Emulators["gemini-emulator"]);
        await using var conversation = await ContinuousConversation.StartAsync(platform.RealtimeUri("gemini-3.1-flash-live"), platform.Endpoints.DevApiKey);
        await conversation.RunAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(3.3));
        await conversation.SettleAsync(TimeSpan.FromSeconds(20));
        output.WriteLine(string.Join(Environment.NewLine, conversation.Timeline.Split(Environment.NewLine).Where(line => line.Contains("late", StringComparison.Ordinal))));
        try
        {
            ContinuityAssertions.ConversationIsUninterrupted(conversation, GeminiRolloverSoakTests.MsPerCharacter);

            var sessions = await record.SessionsAsync();
            output.WriteLine($"{sessions.Count} Gemini sessions");
            Assert.InRange(sessions.Count, 20, 45);
            Assert.All(sessions, s => Assert.Equal(1, s.Connections));
            var expected = GeminiRolloverSoakTests.At16kHz(conversation.SentAudio);
            var covered = 0;
            foreach (var session in sessions)
            {
                var audio = await record.InputAudioAsync(session.Id);
                if (audio.Length == 0) continue;
                var offset = ContinuityAssertions.OffsetOf(expected, audio);
                Assert.True(offset <= covered, $"{covered - offset} bytes of input audio never reached Gemini");
                // Only the open turn's audio (under a second) is sent again.
                Assert.True(covered - offset <= 32000, $"{covered - offset} bytes sent twice");
                covered = Math.Max(covered, offset + audio.Length);
            }
            Assert.Equal(expected.Length, covered);
        }
        catch
        {
            // The Router's account of the session and the client's timeline, side by side in time; a long tail of the
            // whole log would be cut where failures are collected.
            output.WriteLine(string.Join(Environment.NewLine, File.ReadLines(platform.LogPath).Where(line => line.Contains("Gemini session", StringComparison.Ordinal)).TakeLast(400)));
            output.WriteLine(conversation.Timeline);
            output.WriteLine(platform.TailOfLog(40));
            throw;
        }
    }
}
