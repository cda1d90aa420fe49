using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime.Continuity;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Insights;

/// <summary>
/// The quality record of a scripted Gemini session whose provider connection lives 3 s (GeminiRolloverPlatform): one
/// text turn, one client tool call, one barge-in, and the rollovers the emulator saw. <c>/v1/sessions/{id}/quality</c>
/// has exactly those counts, and its latencies are bounded by what the client measured: the Gateway's TTFA interval lies
/// inside the client's (and its tool-call interval contains the client's), with the difference — two loopback hops and
/// both sides' scheduling — within <see cref="Skew"/>. On an idle machine the difference is 1–10 ms (one frame); on a
/// loaded 2-core CI machine a single scheduling delay reached 50 ms, so the bound here is 100 ms: wide enough not to
/// fail on load, narrow enough to catch a latency measured from the wrong event (the provider's own reply time).
/// </summary>
[Collection(GeminiRolloverCollection.Name)]
public class ScriptedSessionQualityTests(GeminiRolloverPlatform platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private const double Skew = 100;

    private const string LongText =
        "this reply is long on purpose so that the caller can talk over it while it is still being spoken, "
        + "which is what a barge in looks like in a real call, and the platform must cancel it cleanly; "
        + "it goes on and on about the weather, the sea, the waves and the wind, the boats in the harbour";

    [Fact]
    public async Task A_barge_in_a_tool_call_and_rollovers_are_counted_exactly_with_the_clients_latencies()
    {
        using var record = new EmulatorInputRecord(platform.Endpoints.Emulators["gemini-emulator"]);
        string sessionId;
        double clientTtfa, clientToolMs, clientBargeInMs;
        var roundTrips = new List<double>();
        await using (var client = await platform.ConnectAsync("gemini-3.1-flash-live"))
        await using (var microphone = new Microphone(client))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new
            {
                type = "session.update",
                session = new
                {
                    type = "realtime",
                    audio = new { input = new { turn_detection = new { type = "server_vad", silence_duration_ms = 200, prefix_padding_ms = 100 } } },
                    tools = new[] { new { type = "function", name = "lookup", description = "Looks a city up.", parameters = new { type = "object", properties = new { city = new { type = "string" } } } } },
                },
            });
            await client.ExpectAsync("session.updated", Turn);
            roundTrips.Add(await RoundTripAsync(client));

            // 1. A text turn: response.create sent → first audio received.
            var asked = await AskAsync(client, "hello there");
            var (events, _) = await CollectUntilDoneAsync(client);
            clientTtfa = Ms(asked, events.First(e => e.Event.Type() == "response.output_audio.delta").ArrivedAt);

            // 2. A client tool call: response.done with the call received → function_call_output sent.
            await AskAsync(client, """call lookup {"city":"Paris 1"}""");
            var (withCall, done) = await CollectUntilDoneAsync(client);
            var call = done.Event.GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "function_call");
            await client.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = call.Str("call_id"), output = """{"temperature":21}""" } });
            clientToolMs = Ms(done.ArrivedAt, Stopwatch.GetTimestamp());
            await client.SendAsync(new { type = "response.create" });
            await CollectUntilDoneAsync(client);
            roundTrips.Add(await RoundTripAsync(client));

            // 3. A barge-in: the caller speaks as soon as the long reply's audio starts. (The microphone runs from here
            //    on only, so its frames do not queue before the timed messages above.)
            microphone.Start();
            await AskAsync(client, LongText);
            var firstAudio = await UntilAsync(client, "response.output_audio.delta");
            microphone.Speak(TimeSpan.FromMilliseconds(400));
            var speech = await UntilAsync(client, "input_audio_buffer.speech_started");
            clientBargeInMs = Ms(firstAudio.ArrivedAt, speech.ArrivedAt);
            var (_, cancelled) = await CollectUntilDoneAsync(client);
            Assert.Equal("cancelled", cancelled.Event.GetProperty("response").Str("status"));
            await CollectUntilDoneAsync(client); // the answer to what the caller said
            roundTrips.Add(await RoundTripAsync(client));

            // 4. At least one rollover before the caller hangs up.
            await Poll.UntilAsync(() => RolloversSeenAsync(record), n => n >= 1, TimeSpan.FromSeconds(15));
        }
        var rollovers = await RolloversSeenAsync(record);

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var quality = await Poll.UntilAsync(() => QualityAsync(http, sessionId),
            q => q is { } e && e.GetProperty("connections").GetInt32() == 1 && e.GetProperty("turns").GetArrayLength() >= 5
                && e.GetProperty("continuity_events").GetArrayLength() >= rollovers, TimeSpan.FromSeconds(60));
        Assert.NotNull(quality);
        var q = quality.Value;
        var slack = Skew + roundTrips.Max();
        var detail = $"client: TTFA {clientTtfa:0.0} ms, tool {clientToolMs:0.0} ms, barge-in after {clientBargeInMs:0.0} ms, round trips "
            + $"{string.Join("/", roundTrips.Select(r => r.ToString("0.0")))} ms; emulator rollovers {rollovers}; quality {q.GetRawText()}";
        output.WriteLine(detail);

        // Counts: exactly what the script did and the emulator saw.
        Assert.True(q.GetProperty("interruptions").GetInt32() == 1, detail);
        Assert.True(q.GetProperty("responses_cancelled").GetInt32() == 1, detail);
        Assert.True(q.GetProperty("client_messages_rejected").GetInt32() == roundTrips.Count, detail); // the probes
        var tool = Assert.Single(q.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(("lookup", "client", "ok"), (tool.Str("name"), tool.Str("executed_by"), tool.Str("outcome")));
        Assert.True(q.GetProperty("continuity_events").EnumerateArray().Count(e => e.Str("kind") == "provider_rollover") == rollovers, detail);

        // Latencies. TTFA: the Gateway's interval (response.create read → first audio written) lies inside the client's
        // (sent → received). Tool call: the client's (response.done received → output sent) inside the Gateway's.
        var turns = q.GetProperty("turns").EnumerateArray().ToList();
        var text = turns.First(t => t.Str("trigger") == "response_create" && t.GetProperty("response_latency_ms").ValueKind == JsonValueKind.Number);
        var ttfa = text.GetProperty("response_latency_ms").GetInt64();
        Assert.True(ttfa <= clientTtfa + 1 && clientTtfa - ttfa <= slack, $"TTFA: the Gateway measured {ttfa} ms, the client {clientTtfa:0.0} ms. {detail}");
        var toolMs = tool.GetProperty("latency_ms").GetInt64();
        Assert.True(toolMs >= clientToolMs - 1 && toolMs - clientToolMs <= slack, $"tool: the Gateway measured {toolMs} ms, the client {clientToolMs:0.0} ms. {detail}");
        var interrupted = Assert.Single(turns, t => t.GetProperty("interrupted").GetBoolean());
        Assert.Equal("cancelled", interrupted.Str("status"));
        var after = interrupted.GetProperty("interrupted_after_ms").GetInt64();
        Assert.True(Math.Abs(after - clientBargeInMs) <= slack, $"barge-in point: the Gateway measured {after} ms, the client {clientBargeInMs:0.0} ms. {detail}");
    }

    /// <summary>
    /// Send → answer of a message the Gateway answers itself (an unknown event type: an error event, the session goes
    /// on): the two loopback hops and both sides' scheduling, at a quiet moment of the session.
    /// </summary>
    private static async Task<double> RoundTripAsync(RealtimeTestClient client)
    {
        var probe = $"probe_{Guid.NewGuid():N}";
        var sent = Stopwatch.GetTimestamp();
        await client.SendAsync(new { type = "latency.probe", event_id = probe });
        while (true)
        {
            var next = await client.NextTimedAsync(Turn);
            if (next.Event.Type() == "error" && next.Event.GetProperty("error").TryGetProperty("event_id", out var id) && id.GetString() == probe)
                return Ms(sent, next.ArrivedAt);
        }
    }

    private static async Task<int> RolloversSeenAsync(EmulatorInputRecord record)
    {
        // Each resumption of an emulator session is a rollover; a new emulator session is a fresh setup (e.g. the setup change).
        return (await record.SessionsAsync()).Sum(s => s.Connections - 1);
    }

    private static async Task<long> AskAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        await client.SendAsync(new { type = "response.create" });
        return Stopwatch.GetTimestamp(); // sent: the Gateway reads it from here on
    }

    private static async Task<(List<TimedEvent> Events, TimedEvent Done)> CollectUntilDoneAsync(RealtimeTestClient client)
    {
        var events = new List<TimedEvent>();
        while (true)
        {
            var next = await client.NextTimedAsync(Turn);
            events.Add(next);
            if (next.Event.Type() == "response.done") return (events, next);
        }
    }

    private static async Task<TimedEvent> UntilAsync(RealtimeTestClient client, string type)
    {
        while (true)
        {
            var next = await client.NextTimedAsync(Turn);
            if (next.Event.Type() == type) return next;
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static async Task<JsonElement?> QualityAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/quality");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    /// <summary>A paced 24 kHz microphone: silence, or a voiced tone when asked to speak.</summary>
    private sealed class Microphone(RealtimeTestClient client) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;
        private int _toneSamplesLeft;
        private long _sample;

        public void Start() => _running = Task.Run(RunAsync);

        public void Speak(TimeSpan length) => Interlocked.Exchange(ref _toneSamplesLeft, (int)(length.TotalSeconds * 24_000));

        private async Task RunAsync()
        {
            var frame = new byte[960];
            var clock = Stopwatch.StartNew();
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var due = TimeSpan.FromMilliseconds(n * 20);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                for (var i = 0; i < 480; i++, _sample++)
                {
                    var value = Volatile.Read(ref _toneSamplesLeft) > 0 && Interlocked.Decrement(ref _toneSamplesLeft) >= 0
                        ? (short)(8000 * Math.Sin(2 * Math.PI * 220 * _sample / 24_000.0))
                        : (short)0;
                    frame[2 * i] = (byte)value;
                    frame[2 * i + 1] = (byte)(value >> 8);
                }
                try
                {
                    await client.AppendAsync(frame);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }
}
