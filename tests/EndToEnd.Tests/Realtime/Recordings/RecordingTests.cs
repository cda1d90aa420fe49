using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Recordings;

/// <summary>
/// Stereo call recordings through the whole platform: a session switched on with the documented session.update
/// extension (<c>session.recording: "on"</c>, so the shared dev tenant's setting is left alone) is recorded by the
/// Gateway, announced to Transcripts, and downloaded as a WAV whose left channel holds what the caller sent and whose
/// right channel holds what the client heard, on the session timeline.
/// </summary>
[Collection(PlatformCollection.Name)]
public class RecordingTests(EndToEndPlatform platform)
{
    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private const double Loud = 500;   // RMS of speech / tone (amplitudes in the thousands)
    private const double Silent = 30;  // digital silence is 0

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_recorded_conversation_has_the_caller_left_and_the_assistant_right_on_the_session_timeline(string model)
    {
        string sessionId;
        double toneDue, toneStart, toneSentSpan, closing, sessionSeconds, connected, heardSeconds = 0;
        // The Gateway's timeline starts as it accepts the socket: between clock zero and `connected` on this clock (under
        // load the handshake's completion can reach this process hundreds of milliseconds later).
        var clock = Stopwatch.StartNew();
        await using (var client = await platform.ConnectAsync(model))
        {
            connected = clock.Elapsed.TotalSeconds;
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", recording = "on" } });
            var updated = await client.ExpectAsync("session.updated", Turn);
            Assert.Equal("on", updated.GetProperty("session").Str("recording"));

            // The caller speaks in real time, as a microphone would: 300 ms silence, a 1.5 s tone, 1.5 s silence.
            // The tone's place is when its first frame actually left (a stalled test process sends late).
            var sent = await PacedMicrophone.SendAsync(client, clock, TestAudio.Pcm16(TestAudio.Silence(300), TestAudio.Tone(1500), TestAudio.Silence(1500)));
            (toneDue, toneStart) = sent[300 / 20];
            toneSentSpan = sent[(300 + 1500) / 20 - 1].Sent + 0.02 - toneStart; // 1.5 s, or more if this process stalled mid-tone
            var reply = await client.CollectUntilAsync("response.done", Turn);
            Assert.Equal("completed", reply[^1].GetProperty("response").Str("status"));
            heardSeconds = reply.Where(e => e.Type() == "response.output_audio.delta")
                .Sum(e => Convert.FromBase64String(e.Str("delta")).Length) / 48_000.0;
            Assert.True(heardSeconds > 0.5, $"the assistant answered with {heardSeconds:0.00} s of audio");
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(heardSeconds, 8) + 0.5)); // let the reply "play out" on the timeline
            closing = clock.Elapsed.TotalSeconds;
        }
        sessionSeconds = clock.Elapsed.TotalSeconds;

        using var http = TenantClient(platform.Endpoints.DevApiKey);
        var bytes = await DownloadAsync(http, sessionId);
        var wav = new StereoWav(bytes);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(24_000, wav.SampleRate);
        Assert.Equal(16, wav.BitsPerSample);
        var caller = wav.ActiveWindows(0, Loud);
        // The session ends on the Gateway between the client starting to close and its close handshake completing (which,
        // under load, can wait for the Gateway to finish storing the recording).
        Assert.True(wav.Duration.TotalSeconds > closing - connected - 0.5 && wav.Duration.TotalSeconds < sessionSeconds + 0.5,
            $"recording {wav.Duration.TotalSeconds:0.00} s, session closing at {closing:0.00} s and closed at {sessionSeconds:0.00} s, connected at {connected:0.00} s (caller tone at {caller.FirstOrDefault():0.00} s in the WAV, sent at {toneStart:0.00} s)");

        // The caller's tone is on the left, where it was sent (a stall in sending or relaying may leave a short gap, so
        // its window is read from the recording and checked against the client's clock); the assistant had not spoken.
        Assert.NotEmpty(caller);
        var (callerStart, callerEnd) = (caller[0], caller[^1] + 0.02);
        // Between when the microphone captured it (a stall before it, then a catch-up burst, is closed by the recorder) and
        // when it was actually sent, less the uncertainty of the timeline's zero on this clock.
        Assert.True(callerStart > toneDue - connected - 0.1 && callerStart < toneStart + 0.3,
            $"the tone is at {callerStart:0.00}-{callerEnd:0.00} s ({caller.Count * 0.02:0.00} s loud) in the WAV; its first frame was due at {toneDue:0.00} s and sent at {toneStart:0.00} s; connected at {connected:0.00} s");
        // The tone spans what it took to send (a stall while sending is a gap the recording keeps), plus relay jitter.
        // A failure says where the loud runs are: a gap means a stall the recording kept, an extra window a doubled chunk.
        var loudRuns = $"loud runs {string.Join(", ", StereoWav.Runs(caller).Select(r => $"{r.Start:0.00}-{r.End:0.00}"))} s, sent over {toneSentSpan:0.00} s";
        Assert.True(callerEnd - callerStart >= 1.4 && callerEnd - callerStart <= Math.Max(1.5, toneSentSpan) + 0.4, loudRuns);
        Assert.True(caller.Count * 0.02 is >= 1.4 and <= 1.55, $"{caller.Count * 0.02:0.00} s loud; {loudRuns}");
        Assert.True(wav.Rms(1, callerStart, callerEnd) < Silent, $"right RMS in the caller's window: {wav.Rms(1, callerStart, callerEnd):0}");
        Assert.True(wav.Rms(0, 0, callerStart - 0.02) < Silent, "nothing on the left before the tone");
        Assert.True(wav.Rms(0, callerEnd + 0.02, wav.Duration.TotalSeconds) < Silent, "nothing on the left after the tone");

        // The assistant is on the right, after the caller's turn, for about as long as the client heard it.
        var assistant = wav.ActiveWindows(1, Loud);
        Assert.NotEmpty(assistant);
        Assert.True(assistant[0] >= callerEnd - 0.02, $"assistant audio starts at {assistant[0]:0.00} s, the caller's tone ended at {callerEnd:0.00} s");
        Assert.InRange(assistant.Count * 0.02, heardSeconds * 0.75, heardSeconds + 0.1);

        // A byte range is exactly those bytes; another tenant cannot see the recording at all.
        using (var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/recording"))
        {
            ranged.Headers.Range = new RangeHeaderValue(1000, 4999);
            using var partial = await http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes 1000-4999/{bytes.Length}", partial.Content.Headers.GetValues("Content-Range").Single());
            Assert.Equal(bytes[1000..5000], await partial.Content.ReadAsByteArrayAsync());
        }
        using var stranger = TenantClient(await NewTenantKeyAsync());
        using var refused = await stranger.GetAsync($"/v1/sessions/{sessionId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("invalid_request_error", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Str("type"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task After_a_barge_in_the_right_channel_keeps_only_what_the_client_played(string model)
    {
        string sessionId;
        double firstAudio, queuedSeconds, connected;
        var clock = Stopwatch.StartNew();
        await using (var client = await platform.ConnectAsync(model))
        {
            connected = clock.Elapsed.TotalSeconds;
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", recording = "on" } });
            await client.ExpectAsync("session.updated", Turn);

            await RealtimeConversationTests.SendUserTextAsync(client, "Please tell me a long story about a lighthouse keeper who counts the waves "
                + "every night, names each one after a friend, and writes their stories into a logbook that nobody ever reads.");
            // Let at least 600 ms of the reply reach the client, then the user talks over it: the client stops playback
            // after 200 ms of it, cancels the response and says how much it played.
            string? item = null;
            firstAudio = 0;
            queuedSeconds = 0;
            while (queuedSeconds < 0.6)
            {
                var e = await client.NextAsync(Turn);
                if (e.Type() != "response.output_audio.delta") continue;
                if (item is null) (item, firstAudio) = (e.Str("item_id"), clock.Elapsed.TotalSeconds);
                queuedSeconds += Convert.FromBase64String(e.Str("delta")).Length / 48_000.0;
            }
            await client.SendAsync(new { type = "response.cancel" });
            var done = await client.CollectUntilAsync("response.done", Turn);
            Assert.Equal("cancelled", done[^1].GetProperty("response").Str("status"));
            await client.SendAsync(new { type = "conversation.item.truncate", item_id = item, content_index = 0, audio_end_ms = 200 });
            JsonElement truncated;
            do truncated = await client.NextAsync(Turn);
            while (truncated.Type() is not ("conversation.item.truncated" or "error"));
            Assert.Equal("conversation.item.truncated", truncated.Type());
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        using var http = TenantClient(platform.Endpoints.DevApiKey);
        var wav = new StereoWav(await DownloadAsync(http, sessionId));
        // The 200 ms played are there, where the reply started (read from the recording: the client saw each delta a
        // little after the Gateway sent it)...
        var heard = wav.ActiveWindows(1, Loud);
        Assert.NotEmpty(heard);
        // The WAV's timeline starts when the Gateway accepted the socket: between this clock's zero and `connected`.
        Assert.True(heard[0] > firstAudio - connected - 0.3 && heard[0] < firstAudio + 0.3,
            $"the reply starts at {heard[0]:0.000} s in the WAV; the client got its first delta at {firstAudio:0.000} s, connected at {connected:0.000} s");
        Assert.InRange(heard.Count * 0.02, 0.1, 0.26);
        Assert.True(heard[^1] - heard[0] < 0.3, $"played audio spans {heard[0]:0.00}-{heard[^1]:0.00} s");
        // ...and nothing after, although at least 600 ms had been sent to the client.
        Assert.True(queuedSeconds >= 0.6);
        // (From the window after next: the cut falls inside a 20 ms window, which is then partly loud.)
        var cut = heard[^1] + 0.04;
        Assert.True(wav.Rms(1, cut, wav.Duration.TotalSeconds) < Silent, $"right RMS after the truncation point: {wav.Rms(1, cut, wav.Duration.TotalSeconds):0}");
        Assert.DoesNotContain(wav.ActiveWindows(1, Silent), start => start >= cut);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_tenant_that_switches_recording_on_gets_its_sessions_recorded_without_asking(string model)
    {
        var key = await NewTenantKeyAsync();
        using var http = TenantClient(key);
        using (var put = await http.PutAsJsonAsync("/v1/recordings/settings", new { enabled = true }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        string sessionId;
        await using (var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri(model), key))
        {
            var created = (await client.ExpectAsync("session.created", Turn)).GetProperty("session");
            sessionId = created.Str("id");
            Assert.Equal("on", created.Str("recording"));
            await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
            var reply = await client.CollectUntilAsync("response.done", Turn);
            Assert.Contains(reply, e => e.Type() == "response.output_audio.delta");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        var wav = new StereoWav(await DownloadAsync(http, sessionId));
        Assert.Equal(2, wav.Channels);
        Assert.NotEmpty(wav.ActiveWindows(1, Loud));          // the reply, on the right
        Assert.Empty(wav.ActiveWindows(0, Silent));           // the caller never spoke
        Assert.True(await Poll.UntilAsync(async () =>
        {
            using var summary = await http.GetAsync($"/v1/sessions/{sessionId}");
            return summary.StatusCode == HttpStatusCode.OK
                && (await summary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("has_recording").GetBoolean();
        }, has => has, TimeSpan.FromSeconds(30)), "the session summary says it has a recording");
    }

    [Fact]
    public async Task A_session_resumed_on_the_other_gateway_is_one_recording_with_both_parts_on_its_timeline()
    {
        // The timeline starts as the first Gateway accepts the socket: between this clock's zero and `connected`.
        var clock = Stopwatch.StartNew();
        var first = await platform.ConnectAsync("gpt-realtime-2");
        var connected = clock.Elapsed.TotalSeconds;
        var created = await first.ExpectAsync("session.created", Turn);
        var resume = created.GetProperty("resume");
        var sessionId = resume.Str("session_id");
        await first.SendAsync(new { type = "session.update", session = new { type = "realtime", recording = "on" } });
        await first.ExpectAsync("session.updated", Turn);
        var firstTone = (await PacedMicrophone.SendAsync(first, clock, TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1000), TestAudio.Silence(1200))))[200 / 20];
        await first.CollectUntilAsync("response.done", Turn);
        first.Socket.Abort(); // the network dropped
        await first.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // away for a while: silence on the timeline

        PacedFrame secondTone;
        double closing, sessionSeconds;
        var resumeUri = new Uri($"{platform.SecondGateway.Replace("http://", "ws://")}/v1/realtime?session_id={sessionId}&resume_token={Uri.EscapeDataString(resume.Str("token"))}");
        await using (var second = await RealtimeTestClient.ConnectAsync(resumeUri, platform.Endpoints.DevApiKey))
        {
            await second.ExpectAsync("session.resumed", Turn);
            // No session.update: the recording choice made on the first Gateway holds on the second.
            secondTone = (await PacedMicrophone.SendAsync(second, clock, TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1000), TestAudio.Silence(1200))))[200 / 20];
            await second.CollectUntilAsync("response.done", Turn);
            await Task.Delay(TimeSpan.FromSeconds(1));
            closing = clock.Elapsed.TotalSeconds;
        }
        sessionSeconds = clock.Elapsed.TotalSeconds;

        // Each Gateway announces its own segment; the download is one WAV once both are known.
        using var http = TenantClient(platform.Endpoints.DevApiKey);
        var wav = await Poll.UntilAsync(async () => new StereoWav(await DownloadAsync(http, sessionId)),
            w => w.Duration.TotalSeconds > closing - connected - 1, TimeSpan.FromSeconds(60));
        Assert.True(wav.Duration.TotalSeconds > closing - connected - 0.6 && wav.Duration.TotalSeconds < sessionSeconds + 0.6,
            $"recording {wav.Duration.TotalSeconds:0.00} s; from the first connect the last close started at {closing:0.00} s and completed at {sessionSeconds:0.00} s; connected at {connected:0.00} s");

        // Two tones on the left, each where it was sent on the session's clock, and nothing in the time away: the loud
        // 20 ms windows form exactly two runs of about a second.
        var caller = wav.ActiveWindows(0, Loud);
        var runs = StereoWav.Runs(caller);
        var segments = string.Join("; ", Directory.GetFiles(platform.RecordingsDirectory, "manifest.json", SearchOption.AllDirectories)
            .Where(f => f.Contains(sessionId, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(platform.RecordingsDirectory, f)}: {File.ReadAllText(f)}"));
        var diagnosis = $"connected at {connected:0.00} s; tones due/sent at {firstTone.Due:0.00}/{firstTone.Sent:0.00} s and {secondTone.Due:0.00}/{secondTone.Sent:0.00} s; loud runs {string.Join(", ", runs.Select(r => $"{r.Start:0.00}-{r.End:0.00}"))}; segments {segments}";
        Assert.True(runs.Count == 2, diagnosis);
        Assert.True(runs[0].Start > firstTone.Due - connected - 0.1 && runs[0].Start < firstTone.Sent + 0.3, diagnosis);
        Assert.True(runs[1].Start > secondTone.Due - connected - 0.3 && runs[1].Start < secondTone.Sent + 0.4, diagnosis);
        Assert.True(runs.All(r => r.End - r.Start is >= 0.9 and <= 1.3), diagnosis);
        Assert.True(caller.Count * 0.02 is >= 1.9 and <= 2.05, $"{caller.Count * 0.02:0.00} s loud; {diagnosis}");
        var secondStart = runs[1].Start;
        // Each part's reply is on the right, after its tone.
        var assistant = wav.ActiveWindows(1, Loud);
        Assert.Contains(assistant, t => t > runs[0].End && t < secondStart);
        Assert.Contains(assistant, t => t > secondStart + 1);
    }

    /// <summary>When a frame was due on the microphone's timeline and when it actually left (seconds on the test clock).</summary>
    private async Task<byte[]> DownloadAsync(HttpClient http, string sessionId)
    {
        // The recording is stored when the session ends and reaches Transcripts through the outbox and the bus.
        using var response = await Poll.UntilAsync(() => http.GetAsync($"/v1/sessions/{sessionId}/recording"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET recording: {(int)response.StatusCode}\n{platform.TailOfLog()}");
        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private HttpClient TenantClient(string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private async Task<string> NewTenantKeyAsync()
    {
        using var admin = TenantClient(platform.Endpoints.OperatorKey);
        return (await TenantSetup.CreateTenantWithKeyAsync(admin, "recording-stranger", "stranger")).ApiKey;
    }
}
