using System.Diagnostics;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>A platform of its own for tests that kill Routers (AppHost restarts a crashed child once).</summary>
public sealed class FailoverPlatform : PlatformFixture
{
    protected override bool WarmUpAtOnce => false; // its Routers restart under load, as in production

    public void KillRouter(string name)
    {
        Process.GetProcessById(ProcessId(name)).Kill(); // SIGKILL: no drain, no goodbye
    }
}

/// <summary>
/// Sessions survive a Router killed mid-turn: the Gateway re-attaches each to the other Router, which restores it from
/// Redis, and the audio the client sent meanwhile (or that the dead Router had not yet made safe) is replayed.
/// </summary>
public class RouterFailoverTests(FailoverPlatform platform) : IClassFixture<FailoverPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Twenty_sessions_continue_on_the_other_router_without_losing_input()
    {
        // 20 concurrent sessions, half on each model, spread over both Routers; one Router is killed mid-utterance.
        var models = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "gpt-realtime-2" : "gemini-3.1-flash-live").ToList();
        var clients = new List<RealtimeTestClient>();
        try
        {
            foreach (var model in models)
            {
                var client = await platform.ConnectAsync(model);
                await client.ExpectAsync("session.created", Turn);
                clients.Add(client);
            }
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                await RealtimeConversationTests.SendUserTextAsync(client, $"my number is {i}");
                await client.CollectUntilAsync("response.done", Turn);
            }));

            // Everyone speaks 1.5 s at real-time pace; the Router dies 0.7 s in, mid-utterance.
            var audio = TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1500), TestAudio.Silence(1500));
            var speaking = clients.Select(client => StreamRealTimeAsync(client, audio)).ToList();
            await Task.Delay(700);
            platform.KillRouter("router-1");
            await Task.WhenAll(speaking);

            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                var events = await client.CollectUntilAsync("response.done", Turn);
                // A response cut off by the crash may end first; the spoken turn's answer must follow.
                while (events.All(e => e.Type() != "input_audio_buffer.committed"))
                    events.AddRange(await client.CollectUntilAsync("response.done", Turn));
                Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
                var transcript = events.Last(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
                var heard = double.Parse(System.Text.RegularExpressions.Regex.Match(transcript, @"\d+\.\d").Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(heard >= 1.4, $"session {i} heard only {heard} s of a 1.5 s utterance: {transcript}");

                await RealtimeConversationTests.SendUserTextAsync(client, "still there?");
                var after = await client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(after, e => e.Type() is "error" or "session.created");
                Assert.Equal("Echo: still there?", after.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            }));

            // Operators see each move: the Gateway times it from the broken stream to audio flowing again.
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"{platform.Endpoints.Management["gateway"]}/metrics");
            var moved = System.Text.RegularExpressions.Regex.Match(metrics, @"(?m)^voiceplatform_gateway_realtime_reattach_first_audio\w*_count(?:\{[^}]*\})? (\d+)");
            Assert.True(moved.Success, "no re-attach timing in the Gateway's /metrics");
            Assert.InRange(long.Parse(moved.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 20);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sessions_continue_through_a_redis_restart_and_checkpoints_resume()
    {
        var clients = new List<(RealtimeTestClient Client, string SessionId)>();
        try
        {
            foreach (var model in new[] { "gpt-realtime-2", "gemini-3.1-flash-live" })
            {
                var client = await platform.ConnectAsync(model);
                var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
                clients.Add((client, sessionId));
            }
            async Task TurnAsync(string text) => await Task.WhenAll(clients.Select(async c =>
            {
                await RealtimeConversationTests.SendUserTextAsync(c.Client, text);
                var events = await c.Client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() == "error");
                Assert.Equal($"Echo: {text}", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            }));

            await TurnAsync("one");
            await platform.StopResourceAsync("redis");   // sessions go on without Redis...
            await TurnAsync("two");
            using (var start = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                await platform.StartResourceAsync("redis", start.Token); // ...and Redis comes back empty (no persistence)
            await TurnAsync("three");

            // Checkpoints resumed, and the lost state was written again in full.
            await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(platform.Endpoints.ConnectionStrings["redis"]);
            foreach (var (_, sessionId) in clients)
            {
                var texts = await Poll.UntilAsync(async () => (await connection.GetDatabase().ListRangeAsync($"session:{{{sessionId}}}:history"))
                        .Select(v => (string)v!).ToList(),
                    items => items.Count >= 6, TimeSpan.FromSeconds(15));
                Assert.Equal(6, texts.Count);
                Assert.Contains("\"one\"", texts[0]);
                Assert.Contains("\"two\"", texts[2]);
                Assert.Contains("\"three\"", texts[4]);
                Assert.True((await connection.GetDatabase().StringGetAsync($"session:{{{sessionId}}}:lease")).HasValue, "lease re-taken");
            }
        }
        finally
        {
            foreach (var (client, _) in clients) await client.DisposeAsync();
        }
    }

    internal static async Task StreamRealTimeAsync(RealtimeTestClient client, byte[] audio)
    {
        var clock = Stopwatch.StartNew();
        for (var (offset, frame) = (0, 0); offset < audio.Length; offset += 960, frame++)
        {
            await client.AppendAsync(audio[offset..Math.Min(audio.Length, offset + 960)]);
            var due = TimeSpan.FromMilliseconds(20 * (frame + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
    }
}
