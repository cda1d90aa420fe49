using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Events;

/// <summary>A platform of its own: its RabbitMQ and Redis are frozen (SIGSTOP) while 20 sessions talk.</summary>
public sealed class PausePlatform : PlatformFixture;

/// <summary>
/// Issue 14's fault test: RabbitMQ frozen for 60 s, then Redis frozen for 10 s, under 20 live sessions on both models.
/// A frozen server is harsher than a stopped one: connections stay open and simply stop answering. Every turn spoken
/// meanwhile is answered, and once the servers are back every transcript segment and every usage arrives exactly once.
/// </summary>
public class BackingServicePauseTests(PausePlatform platform) : IClassFixture<PausePlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BrokerPause = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RedisPause = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Freezing_RabbitMQ_for_60_s_and_Redis_for_10_s_under_20_sessions_loses_and_doubles_nothing()
    {
        var sessions = new List<Conversation>();
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        try
        {
            foreach (var model in Enumerable.Repeat("gpt-realtime-2", 10).Concat(Enumerable.Repeat("gemini-3.1-flash-live", 10)))
            {
                var client = await platform.ConnectAsync(model);
                var id = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
                sessions.Add(new Conversation(client, id));
            }
            await EveryoneSaysAsync(sessions, "before");
            await Poll.UntilAsync(() => SessionRecords.SegmentsAsync(http, sessions[0].Id), s => s.Count == 2, Turn);

            var broker = Stopwatch.StartNew();
            using (Freeze("rabbitmq"))
            {
                await EveryoneSaysAsync(sessions, "broker frozen, first");
                await EveryoneSaysAsync(sessions, "broker frozen, second");
                // The freeze is real: nothing said since has reached the Transcripts service.
                Assert.Equal(2, (await SessionRecords.SegmentsAsync(http, sessions[0].Id)).Count);
                // Hold the freeze for its whole length (the broker is out, whatever the sessions do meanwhile).
                if (BrokerPause - broker.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest);
            }
            await EveryoneSaysAsync(sessions, "broker back");

            var redis = Stopwatch.StartNew();
            using (Freeze("redis"))
            {
                await EveryoneSaysAsync(sessions, "redis frozen");
                if (RedisPause - redis.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest);
            }
            await EveryoneSaysAsync(sessions, "redis back");
        }
        finally
        {
            foreach (var session in sessions) await session.Client.DisposeAsync();
        }

        foreach (var session in sessions)
        {
            var expected = session.Said.SelectMany(text => new[] { ("user", text), ("assistant", "Echo: " + text) }).ToList();
            var segments = await Poll.UntilAsync(() => SessionRecords.SegmentsAsync(http, session.Id), s => s.Count >= expected.Count, TimeSpan.FromSeconds(120));
            Assert.Equal(expected, segments.Select(s => (s.Role, s.Text)).ToList());
            var cost = await Poll.UntilAsync(() => SessionRecords.CostAsync(http, session.Id), c => c.Events >= session.Usages.Count, TimeSpan.FromSeconds(120));
            Assert.Equal(session.Usages.Count, cost.Events);
            Assert.Equal(session.Usages.Sum(u => u.GetProperty("output_tokens").GetInt64()), cost.OutputTokens);
        }
        // Redelivery after the freezes must not double anything: nothing more arrives for any session.
        foreach (var session in sessions)
        {
            Assert.Equal(session.Said.Count * 2, (await SessionRecords.SegmentsAsync(http, session.Id)).Count);
            Assert.Equal(session.Usages.Count, (await SessionRecords.CostAsync(http, session.Id)).Events);
        }
    }

    private static Task EveryoneSaysAsync(List<Conversation> sessions, string text) =>
        Task.WhenAll(sessions.Select(session => session.SayAsync($"{text} ({session.Id[^6..]})")));

    /// <summary>SIGSTOP every process of the resource now (RabbitMQ: the broker, its Erlang helpers and its epmd), SIGCONT on dispose.</summary>
    private Frozen Freeze(string resource)
    {
        var processes = platform.ProcessTree(resource).ToList();
        Assert.NotEmpty(processes);
        foreach (var process in processes) Signal("STOP", process);
        return new Frozen(() => processes.ForEach(process => Signal("CONT", process)));
    }

    private static void Signal(string signal, int process)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed class Frozen(Action thaw) : IDisposable
    {
        public void Dispose() => thaw();
    }

    private sealed class Conversation(RealtimeTestClient client, string id)
    {
        public RealtimeTestClient Client => client;
        public string Id => id;
        public List<string> Said { get; } = [];
        public List<JsonElement> Usages { get; } = [];

        public async Task SayAsync(string text)
        {
            await RealtimeConversationTests.SendUserTextAsync(client, text);
            var events = await client.CollectUntilAsync("response.done", Turn);
            Assert.DoesNotContain(events, e => e.Type() == "error");
            var done = events[^1].GetProperty("response");
            Assert.Equal("completed", done.Str("status"));
            Assert.Equal("Echo: " + text, events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            Usages.Add(done.GetProperty("usage").Clone());
            Said.Add(text);
        }
    }
}
