using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Recordings;

/// <summary>
/// Transcripts, the recording and the quality metrics share one timeline, the client's: for a paced session every
/// transcript cue lies within one 20 ms frame of its audio in the recording — the user's where the caller's speech is
/// on the left channel, the assistant's where its reply played on the right.
/// </summary>
[Collection(PlatformCollection.Name)]
public class TranscriptAlignmentTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private const double Frame = 0.020 + 0.001; // one frame, plus the cues' millisecond resolution
    private const int Audible = 0; // the recording's silence is digital zero; any other sample is audio

    [Theory]
    [MemberData(nameof(RecordingTests.Models), MemberType = typeof(RecordingTests))]
    public async Task Every_cue_lies_within_a_frame_of_its_audio_in_the_recording(string model)
    {
        string sessionId;
        var clock = new Stopwatch();
        await using (var client = await platform.ConnectAsync(model))
        {
            clock.Start();
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new
            {
                type = "session.update",
                session = new { type = "realtime", recording = "on", audio = new { input = new { transcription = new { model = "gpt-4o-transcribe" } } } },
            });
            await client.ExpectAsync("session.updated", Turn);
            await PacedMicrophone.SendAsync(client, clock, TestAudio.Pcm16(TestAudio.Silence(300), TestAudio.Tone(1500), TestAudio.Silence(1500)));
            var reply = await client.CollectUntilAsync("response.done", Turn);
            var heard = reply.Where(e => e.Type() == "response.output_audio.delta").Sum(e => Convert.FromBase64String(e.Str("delta")).Length) / 48_000.0;
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(heard, 8) + 0.5)); // the reply plays out before the client leaves
        }

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        using var recording = await Poll.UntilAsync(() => http.GetAsync($"/v1/sessions/{sessionId}/recording"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, recording.StatusCode);
        var wav = new StereoWav(await recording.Content.ReadAsByteArrayAsync());
        var caller = wav.Sounding(0, Audible) ?? throw new Xunit.Sdk.XunitException("the caller's tone is not in the recording");
        var assistant = wav.Sounding(1, Audible) ?? throw new Xunit.Sdk.XunitException("the reply is not in the recording");

        // Timings reach Transcripts when the session ends (Gateway outbox → bus): wait until both cues are placed.
        var cues = await Poll.UntilAsync(() => CuesAsync(http, sessionId),
            c => c.Count == 2 && Near(c[0], caller) && Near(c[1], assistant), TimeSpan.FromSeconds(60));
        var detail = $"WAV caller {caller.Start:0.000}-{caller.End:0.000} s, assistant {assistant.Start:0.000}-{assistant.End:0.000} s; cues "
            + string.Join(", ", cues.Select(c => $"{c.Role} {c.Start:0.000}-{c.End:0.000}"));
        Assert.True(cues.Count == 2, detail);
        Assert.True(cues[0].Role == "user" && Near(cues[0], caller), detail);
        Assert.True(cues[1].Role == "assistant" && Near(cues[1], assistant), detail);
    }

    private static bool Near((string Role, double Start, double End) cue, (double Start, double End) audio) =>
        Math.Abs(cue.Start - audio.Start) <= Frame && Math.Abs(cue.End - audio.End) <= Frame;

    private static async Task<List<(string Role, double Start, double End)>> CuesAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("segments").EnumerateArray()
            .Select(s => (s.GetProperty("role").GetString()!, s.GetProperty("start_ms").GetInt64() / 1000.0, s.GetProperty("end_ms").GetInt64() / 1000.0))];
    }
}
