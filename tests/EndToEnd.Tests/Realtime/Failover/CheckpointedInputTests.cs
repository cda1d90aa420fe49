using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Failover;

/// <summary>
/// A platform whose Routers never acknowledge client input to the Gateway (the ack interval is an hour): the widest
/// form of "the Router died before its ack arrived", in which the Gateway replays everything the session was ever sent.
/// Its Gemini model takes 3 s before it starts an answer, a window in which to kill a Router.
/// </summary>
public sealed class UnacknowledgedInputPlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["Continuity__AckInterval"] = "01:00:00",
        ["GeminiEmulator__Faults__ReplyDelayMs"] = "3000",
    };
}

/// <summary>
/// A spoken turn is made once across a Router kill even when the Gateway replays its audio: the checkpoint stores with
/// the user's item the last client frame its commit took in, and the next Router does not hand those frames again
/// (before, the replayed audio was heard again and made a second user item and a second answer).
/// </summary>
public class CheckpointedInputTests(UnacknowledgedInputPlatform platform) : IClassFixture<UnacknowledgedInputPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData("gpt-realtime-2")]
    [InlineData("gemini-3.1-flash-live")]
    public Task A_spoken_turn_the_checkpoint_holds_is_not_made_again_from_the_replayed_audio(string model) => platform.WithLogOnFailureAsync(async () =>
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Endpoints.ConnectionStrings["redis"]);
        var db = redis.GetDatabase();
        await using var client = await platform.ConnectAsync(model);
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");

        var audio = TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1500), TestAudio.Silence(1500));
        await RouterFailoverTests.StreamRealTimeAsync(client, audio);
        var spoken = await client.CollectUntilAsync("response.done", Turn);
        while (spoken.All(e => e.Type() != "input_audio_buffer.committed")) spoken.AddRange(await client.CollectUntilAsync("response.done", Turn));
        Assert.Equal("completed", spoken.Last().GetProperty("response").Str("status"));

        // The checkpoint holds the spoken item with the input it covers; the owning Router dies (its lease names it).
        var state = $"session:{{{sessionId}}}:state";
        var covered = await Poll.UntilAsync(async () => (string?)await db.HashGetAsync(state, "input_seq"), seq => seq is not null, TimeSpan.FromSeconds(10));
        // The commit came after the tone (frames 11-85) and the silence that ended it.
        Assert.True(ulong.Parse(covered!, CultureInfo.InvariantCulture) > 85, $"input_seq {covered}");
        KillOwner(await db.StringGetAsync($"session:{{{sessionId}}}:lease"));

        // The session goes on on the other Router; nothing of the spoken turn happens again, and the next turn is answered.
        await RealtimeConversationTests.SendUserTextAsync(client, "after the kill");
        var after = new List<JsonElement>();
        while (!after.Any(e => e.Type() == "response.done" && e.GetProperty("response").Str("status") == "completed"))
            after.AddRange(await client.CollectUntilAsync("response.done", Turn));
        Assert.DoesNotContain(after, e => e.Type() is "input_audio_buffer.speech_started" or "input_audio_buffer.committed" or "error" or "session.created");
        Assert.Equal("Echo: after the kill", after.Last(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));

        if (model.StartsWith("gemini", StringComparison.Ordinal))
        {
            // The provider's context holds the spoken turn once too (the Gemini emulator counts the turns it has).
            await RealtimeConversationTests.SendUserTextAsync(client, "history");
            var history = await client.CollectUntilAsync("response.done", Turn);
            Assert.Equal("History has 4 turns.", history.Last(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
        }
    });

    /// <summary>
    /// The server VAD's answer had not started when the Router died: the Gateway saw no response to ask again, and the
    /// restored conversation ends with the spoken item; the next Router asks for the answer itself, once.
    /// </summary>
    [Fact]
    public Task A_spoken_turn_checkpointed_before_its_answer_started_is_answered_after_the_kill() => platform.WithLogOnFailureAsync(async () =>
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Endpoints.ConnectionStrings["redis"]);
        var db = redis.GetDatabase();
        await using var client = await platform.ConnectAsync("gemini-3.1-flash-live");
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");

        var audio = TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1500), TestAudio.Silence(600));
        await RouterFailoverTests.StreamRealTimeAsync(client, audio);
        var before = await client.CollectUntilAsync("conversation.item.done", Turn);
        Assert.Single(before, e => e.Type() == "input_audio_buffer.committed");
        await Poll.UntilAsync(async () => (string?)await db.HashGetAsync($"session:{{{sessionId}}}:state", "input_seq"), seq => seq is not null, TimeSpan.FromSeconds(10));
        KillOwner(await db.StringGetAsync($"session:{{{sessionId}}}:lease"));
        Assert.DoesNotContain(before, e => e.Type() == "response.created"); // the answer had not started

        var after = await client.CollectUntilAsync("response.done", Turn);
        Assert.DoesNotContain(after, e => e.Type() is "input_audio_buffer.committed" or "error" or "session.created");
        Assert.Equal("completed", after[^1].GetProperty("response").Str("status"));
        Assert.Single(after, e => e.Type() == "response.created");
        await client.ExpectSilenceAsync(TimeSpan.FromSeconds(4)); // and no second answer
    });

    private static void KillOwner(RedisValue lease)
    {
        Assert.False(lease.IsNull);
        var parts = ((string)lease!).Split('-'); // router-{machine}-{pid}-{suffix}
        Process.GetProcessById(int.Parse(parts[^2], CultureInfo.InvariantCulture)).Kill();
    }
}
