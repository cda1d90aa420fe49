using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Console.Tests;

/// <summary>
/// A real recorded session through the Gateway against the emulator: text turns, each reply listened to in full (the
/// recording holds what played), then closed. Returns once the transcript and recording are stored.
/// </summary>
public static class RecordedSessions
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    public static async Task<string> RunAsync(ConsolePlatform platform, string apiKey, params string[] userTexts)
    {
        string sessionId;
        await using (var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), apiKey))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", recording = "on" } });
            await client.ExpectAsync("session.updated", Turn);
            foreach (var text in userTexts)
            {
                await client.SendAsync(new
                {
                    type = "conversation.item.create",
                    item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
                });
                await client.SendAsync(new { type = "response.create" });
                var reply = await client.CollectUntilAsync("response.done", Turn);
                var heard = reply.Where(e => e.Type() == "response.output_audio.delta").Sum(e => Convert.FromBase64String(e.Str("delta")).Length) / 48_000.0;
                await Task.Delay(TimeSpan.FromSeconds(heard + 0.3)); // a listener hears the reply out before speaking again
            }
        }

        using var http = Gateway(platform, apiKey);
        var stored = await Poll.UntilAsync(async () =>
            {
                using var head = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/recording");
                head.Headers.Range = new RangeHeaderValue(0, 43);
                using var recording = await http.SendAsync(head);
                using var transcript = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
                if (recording.StatusCode != HttpStatusCode.PartialContent || transcript.StatusCode != HttpStatusCode.OK) return false;
                using var body = JsonDocument.Parse(await transcript.Content.ReadAsStringAsync());
                return body.RootElement.GetProperty("segments").EnumerateArray().Count(s => s.Str("role") == "assistant") >= userTexts.Length;
            }, done => done, TimeSpan.FromSeconds(60));
        Assert.True(stored, $"session {sessionId}: recording and transcript not stored in time");
        return sessionId;
    }

    public static HttpClient Gateway(ConsolePlatform platform, string apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }
}
