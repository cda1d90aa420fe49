using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime.Recordings;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>
/// Gemini 3.8's asynchronous function calls through the whole platform, as an OpenAI Realtime client sees them: the
/// model calls a client tool that takes 2 s and goes on speaking (its filler) while the tool runs; the tool's output
/// and response.create then get the continuation that speaks the result. Afterwards the stored transcript holds each
/// thing said once, in order, and the recording has the assistant's voice where the filler and the continuation played.
/// </summary>
[Collection(ToolsPlatformCollection.Name)]
public sealed class GeminiAsyncToolTests(ToolsPlatform platform, ITestOutputHelper output)
{
    private const string Model = "gemini-3.8-live";
    private const string Filler = "Let me check that."; // the Gemini emulator's Live38:ToolFiller
    private const string ToolOutput = """{"temp_c":21,"sky":"clear"}""";
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ToolDuration = TimeSpan.FromSeconds(2);
    private const double Silent = 30;  // the recording's silence is digital zero
    // One frame, plus the cues' millisecond resolution. The Gateway stamps a chunk once, as its write starts, for both
    // the cue and the recording: the session's first chunk (here the filler's) used to reach the recording 14-111 ms
    // after its cue (the chunk's translation and the recorder's start ran between the two stamps).
    private const double Frame = 0.020 + 0.001;

    [Fact]
    public async Task The_model_speaks_while_a_2_s_tool_runs_and_the_continuation_speaks_its_result_once_in_transcript_and_recording()
    {
        var origin = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(origin).TotalSeconds;
        double At(TimedEvent e) => Stopwatch.GetElapsedTime(origin, e.ArrivedAt).TotalSeconds;

        string sessionId, userItem, callResponse;
        double connected, toolStarted, outputSent, closing, continuationHeard;
        List<TimedEvent> whileToolRan = [], afterTool = [];
        await using (var client = await platform.ConnectAsync(Model))
        {
            // The Gateway's timeline (the recording's zero) starts as it accepts the socket: between 0 and `connected`.
            connected = Now();
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new
            {
                type = "session.update",
                session = new
                {
                    type = "realtime",
                    recording = "on",
                    tools = new[]
                    {
                        new
                        {
                            type = "function", name = "get_weather", description = "Weather for a city",
                            parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                        },
                    },
                },
            });
            await client.ExpectAsync("session.updated", Turn);

            await RealtimeConversationTests.SendUserTextAsync(client, """call get_weather {"city":"Paris"}""");
            var callTurn = await client.CollectUntilAsync("response.done", Turn);
            Assert.DoesNotContain(callTurn, e => e.Type() == "error");
            userItem = callTurn.First(e => e.Type() == "conversation.item.done" && e.GetProperty("item").Str("role") == "user")
                .GetProperty("item").Str("id");
            var arguments = callTurn.Single(e => e.Type() == "response.function_call_arguments.done");
            Assert.Equal("get_weather", arguments.Str("name"));
            Assert.Equal("Paris", JsonDocument.Parse(arguments.Str("arguments")).RootElement.Str("city"));
            var callDone = callTurn[^1].GetProperty("response");
            callResponse = callDone.Str("id");
            Assert.Equal("completed", callDone.Str("status"));
            Assert.Equal(callResponse, arguments.Str("response_id"));
            var call = Assert.Single(callDone.GetProperty("output").EnumerateArray());
            Assert.Equal("function_call", call.Str("type"));
            Assert.Equal(arguments.Str("call_id"), call.Str("call_id"));

            // The client runs the tool: 2 s of real work (the duration under test, not a wait for an assertion). Every
            // event that arrives meanwhile is kept; a read still pending when the tool finishes is carried over.
            toolStarted = Now();
            var tool = Task.Delay(ToolDuration);
            var next = client.NextTimedAsync(Turn);
            while (await Task.WhenAny(next, tool) == next)
            {
                whileToolRan.Add(await next);
                next = client.NextTimedAsync(Turn);
            }
            outputSent = Now();
            await client.SendAsync(new
            {
                type = "conversation.item.create",
                item = new { type = "function_call_output", call_id = call.Str("call_id"), output = ToolOutput },
            });
            await client.SendAsync(new { type = "response.create" });

            // The filler's response (if it was still open) and the continuation's follow: read until a response opened
            // after the output is done.
            while (afterTool.Count == 0 || afterTool[^1].Event.Type() != "response.done"
                || !afterTool.Any(e => e.Event.Type() == "response.created" && ResponseOf(e.Event) == ResponseOf(afterTool[^1].Event)))
            {
                afterTool.Add(await NextOrFailAsync(next, whileToolRan.Concat(afterTool).ToList(), toolStarted, outputSent, At));
                next = client.NextTimedAsync(Turn);
            }
            continuationHeard = AudioSeconds(afterTool.Where(e => e.Event.Type() == "response.output_audio.delta"
                && ResponseOf(e.Event) == ResponseOf(afterTool[^1].Event)));
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(continuationHeard, 8) + 0.5)); // the reply plays out before the client leaves
            closing = Now();
        }
        var sessionSeconds = Now();

        var all = whileToolRan.Concat(afterTool).ToList();
        var timeline = Describe(all, toolStarted, outputSent, At);
        Assert.True(all.All(e => e.Event.Type() != "error"), timeline);

        // While the tool ran, the model spoke: a response of its own, with audio and its transcript.
        var fillerCreated = whileToolRan.FirstOrDefault(e => e.Event.Type() == "response.created");
        Assert.True(fillerCreated.Event.ValueKind == JsonValueKind.Object, $"no response opened while the tool ran; {timeline}");
        var filler = fillerCreated.Event.GetProperty("response").Str("id");
        Assert.NotEqual(callResponse, filler);
        Assert.True(whileToolRan.Any(e => e.Event.Type() == "response.output_audio.delta" && ResponseOf(e.Event) == filler),
            $"no filler audio while the tool ran; {timeline}");
        Assert.True(whileToolRan.Any(e => e.Event.Type() == "response.output_audio_transcript.done" && ResponseOf(e.Event) == filler
            && e.Event.Str("transcript") == Filler), $"no filler transcript while the tool ran; {timeline}");
        var fillerDone = all.Single(e => e.Event.Type() == "response.done" && ResponseOf(e.Event) == filler);
        Assert.Equal("completed", fillerDone.Event.GetProperty("response").Str("status"));
        var fillerItem = ItemOf(fillerDone.Event);

        // The output's response.create got the continuation, after the filler's response and speaking the tool's result.
        var continuationDone = afterTool[^1];
        var continuation = ResponseOf(continuationDone.Event);
        Assert.Equal("completed", continuationDone.Event.GetProperty("response").Str("status"));
        Assert.Equal($"Tool get_weather returned: {ToolOutput}", TranscriptOf(continuationDone.Event));
        var created = afterTool.Where(e => e.Event.Type() == "response.created").ToList();
        Assert.True(created.Count == 1 && ResponseOf(created[0].Event) == continuation, $"one response answers the output; {timeline}");
        Assert.True(all.IndexOf(created[0]) > all.IndexOf(fillerDone), $"the continuation opened after the filler's response.done; {timeline}");
        var continuationItem = ItemOf(continuationDone.Event);
        var fillerAudio = all.Where(e => e.Event.Type() == "response.output_audio.delta" && ResponseOf(e.Event) == filler).ToList();
        var continuationAudio = afterTool.Where(e => e.Event.Type() == "response.output_audio.delta" && ResponseOf(e.Event) == continuation).ToList();
        Assert.NotEmpty(continuationAudio);
        var (fillerFirst, fillerHeard) = (At(fillerAudio[0]), AudioSeconds(fillerAudio));
        var continuationFirst = At(continuationAudio[0]);

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);

        // The recording: as long as the session; nobody spoke on the left (the turn was typed); on the right the filler
        // where the client got it, while the tool ran, and the continuation after the output was sent.
        var wav = new StereoWav(await DownloadRecordingAsync(http, sessionId));
        Assert.Equal((2, 24_000, 16), (wav.Channels, wav.SampleRate, wav.BitsPerSample));
        Assert.True(wav.Duration.TotalSeconds > closing - connected - 0.5 && wav.Duration.TotalSeconds < sessionSeconds + 0.5,
            $"recording {wav.Duration.TotalSeconds:0.00} s, session closing at {closing:0.00} s and closed at {sessionSeconds:0.00} s, connected at {connected:0.00} s");
        Assert.Empty(wav.ActiveWindows(0, Silent));
        // The continuation cannot have reached the Gateway before the client sent the output (the WAV's zero is at most
        // `connected` after this clock's): what is audible before that is the filler, what is audible after it the continuation.
        var split = outputSent - connected;
        // Every 20 ms of the emulator's speech is audible (its pauses too, if quieter), so counting audible windows
        // measures what was played: each response's audio once, all of it.
        var assistant = wav.ActiveWindows(1, Silent);
        var fillerWindows = assistant.Where(t => t + 0.02 <= split).ToList();
        var continuationWindows = assistant.Where(t => t >= split).ToList();
        var heard = $"assistant audible runs {string.Join(", ", StereoWav.Runs(assistant).Select(r => $"{r.Start:0.00}-{r.End:0.00}"))} s in the WAV; "
            + $"filler {fillerHeard:0.00} s of audio first heard at {fillerFirst:0.00} s, continuation {continuationHeard:0.00} s first heard at "
            + $"{continuationFirst:0.00} s, tool {toolStarted:0.00}-{outputSent:0.00} s, connected at {connected:0.00} s";
        Assert.True(fillerWindows.Count > 0 && continuationWindows.Count > 0, heard);
        Assert.True(assistant.Count == fillerWindows.Count + continuationWindows.Count, $"a window straddles the output; {heard}");
        Assert.True(fillerWindows[0] > fillerFirst - connected - 0.3 && fillerWindows[0] < fillerFirst + 0.3, heard);
        Assert.True(fillerWindows[0] > toolStarted - connected - 0.3, $"the filler starts after the call; {heard}");
        Assert.True(Math.Abs(fillerWindows.Count * 0.02 - fillerHeard) <= 0.06, heard);
        Assert.True(continuationWindows[0] < continuationFirst + 0.3, heard);
        Assert.True(Math.Abs(continuationWindows.Count * 0.02 - continuationHeard) <= 0.06, heard);

        // The transcript: the typed turn, the filler and the continuation, each once, in order and on the recording's
        // timeline (function calls and outputs are not transcript segments: the store keeps what was said).
        var expected = new[]
        {
            ("user", userItem, """call get_weather {"city":"Paris"}"""),
            ("assistant", fillerItem, Filler),
            ("assistant", continuationItem, $"Tool get_weather returned: {ToolOutput}"),
        };
        // Cue timings reach Transcripts when the session ends (Gateway outbox → bus): wait until the assistant's are placed.
        var fillerSound = wav.Sounding(1, 0, 0, split)!.Value;
        var continuationSound = wav.Sounding(1, 0, split)!.Value;
        var segments = await Poll.UntilAsync(() => SegmentsAsync(http, sessionId),
            s => s.Count >= expected.Length && Near(s[1], fillerSound) && Near(s[2], continuationSound), TimeSpan.FromSeconds(60));
        var stored = string.Join("; ", segments.Select(s => $"{s.Role} {s.ItemId} '{s.Text}' {s.StartMs}-{s.EndMs} ms{(s.Truncated ? " truncated" : "")}"))
            + $"; WAV filler {fillerSound.Start:0.000}-{fillerSound.End:0.000} s, continuation {continuationSound.Start:0.000}-{continuationSound.End:0.000} s";
        output.WriteLine(timeline);
        output.WriteLine(heard);
        output.WriteLine(stored);
        Assert.True(segments.Select(s => (s.Role, s.ItemId, s.Text)).SequenceEqual(expected), $"stored: {stored}; expected items {userItem}, {fillerItem}, {continuationItem}");
        Assert.True(segments.All(s => !s.Truncated), stored);
        Assert.True(segments[0].StartMs <= segments[1].StartMs, stored);
        // Each assistant cue spans its audio in the recording (as long, give or take a frame, and where it played): the
        // filler's inside the tool's run, the continuation's after the output.
        Assert.True(Near(segments[1], fillerSound) && Near(segments[2], continuationSound), stored);
        Assert.True(segments[1].EndMs / 1000.0 < split + Frame && segments[2].StartMs / 1000.0 > split - Frame, $"split at {split:0.000} s; {stored}");
    }

    private static bool Near((string Role, string ItemId, string Text, long StartMs, long EndMs, bool Truncated) cue, (double Start, double End) audio) =>
        Math.Abs((cue.EndMs - cue.StartMs) / 1000.0 - (audio.End - audio.Start)) <= Frame && Math.Abs(cue.StartMs / 1000.0 - audio.Start) <= Frame;

    /// <summary>The pending read's event; a timeout fails with what had arrived, not a bare cancellation.</summary>
    private static async Task<TimedEvent> NextOrFailAsync(Task<TimedEvent> next, List<TimedEvent> sofar, double toolStarted, double outputSent,
        Func<TimedEvent, double> at)
    {
        try
        {
            return await next;
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no event for {Turn.TotalSeconds:0} s; {Describe(sofar, toolStarted, outputSent, at)}");
        }
    }

    private static string ResponseOf(JsonElement e) =>
        e.TryGetProperty("response", out var response) ? response.Str("id") : e.Str("response_id");

    private static string ItemOf(JsonElement done) =>
        done.GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "message").Str("id");

    private static string? TranscriptOf(JsonElement done) =>
        done.GetProperty("response").GetProperty("output").EnumerateArray().Single(i => i.Str("type") == "message")
            .GetProperty("content")[0].GetProperty("transcript").GetString();

    private static double AudioSeconds(IEnumerable<TimedEvent> deltas) =>
        deltas.Sum(e => Convert.FromBase64String(e.Event.Str("delta")).Length) / 48_000.0;

    private static string Describe(List<TimedEvent> events, double toolStarted, double outputSent, Func<TimedEvent, double> at) =>
        $"tool ran {toolStarted:0.00}-{outputSent:0.00} s; events: " + string.Join(", ", events
            .Where(e => e.Event.Type() is not ("response.output_audio.delta" or "response.output_audio_transcript.delta"))
            .Select(e => $"{e.Event.Type()}@{at(e):0.00}"));

    private async Task<byte[]> DownloadRecordingAsync(HttpClient http, string sessionId)
    {
        // Stored when the session ends; it reaches Transcripts through the outbox and the bus.
        using var response = await Poll.UntilAsync(() => http.GetAsync($"/v1/sessions/{sessionId}/recording"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET recording: {(int)response.StatusCode}\n{platform.TailOfLog()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<List<(string Role, string ItemId, string Text, long StartMs, long EndMs, bool Truncated)>> SegmentsAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("segments").EnumerateArray().Select(s => (s.Str("role"), s.Str("item_id"), s.Str("text"),
            s.GetProperty("start_ms").GetInt64(), s.GetProperty("end_ms").GetInt64(), s.GetProperty("truncated").GetBoolean()))];
    }
}
