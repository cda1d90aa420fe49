using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Events;

/// <summary>
/// A reply the user talks over is stored as interrupted, never as said in full: the segment is marked truncated in
/// the JSON transcript, ends with "[interrupted]" in the text and WebVTT forms, and holds no more than was streamed.
/// </summary>
[Collection(PlatformCollection.Name)]
public class BargeInTranscriptTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    private const string Request = "Please tell me a long story about a lighthouse keeper who counts the waves every night, "
        + "names each one after a friend, and writes their stories into a logbook that nobody ever reads.";

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task An_interrupted_reply_is_marked_in_every_transcript_form(string model)
    {
        string sessionId;
        await using (var client = await platform.ConnectAsync(model))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await RealtimeConversationTests.SendUserTextAsync(client, Request);
            var before = new List<JsonElement>();
            while (before.Count(e => e.Type() == "response.output_audio.delta") < 2) before.Add(await client.NextAsync(Turn));
            var assistantItem = before.First(e => e.Type() == "response.output_item.added").GetProperty("item").Str("id");

            await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(1200), TestAudio.Silence(1200)), 960); // barge-in
            var events = await client.CollectUntilAsync("response.done", Turn);
            Assert.Equal("cancelled", events[^1].GetProperty("response").Str("status"));
            await client.SendAsync(new { type = "conversation.item.truncate", item_id = assistantItem, content_index = 0, audio_end_ms = 200 });
            await client.CollectUntilAsync("conversation.item.truncated", Turn);
            await client.CollectUntilAsync("response.done", Turn); // the answer to what the user said over it

            // The next, uninterrupted reply is stored as said.
            await RealtimeConversationTests.SendUserTextAsync(client, "short one");
            await client.CollectUntilAsync("response.done", Turn);
        }

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var segments = await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
            if (response.StatusCode != HttpStatusCode.OK) return [];
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.Clone()).ToList();
        }, s => s.Count(x => x.GetProperty("role").GetString() == "assistant") >= 3, TimeSpan.FromSeconds(60));

        var assistant = segments.Where(s => s.GetProperty("role").GetString() == "assistant").ToList();
        Assert.Equal(3, assistant.Count); // interrupted, the answer to the barge-in, "short one"
        var interrupted = assistant[0];
        Assert.True(interrupted.GetProperty("truncated").GetBoolean());
        var heard = interrupted.GetProperty("text").GetString()!;
        Assert.StartsWith("Echo:", heard);
        Assert.StartsWith(heard, "Echo: " + Request); // what was streamed before the cancel, and nothing more
        Assert.True(heard.Length < ("Echo: " + Request).Length, $"the whole reply was stored as said: {heard}");
        Assert.All(assistant.Skip(1), a => Assert.False(a.GetProperty("truncated").GetBoolean()));
        Assert.Equal("Echo: short one", assistant[2].GetProperty("text").GetString());

        var text = await http.GetStringAsync($"/v1/sessions/{sessionId}/transcript?format=text");
        Assert.True(text.Contains($"assistant: {heard.Trim()} [interrupted]\n"), text); // one line per segment, trimmed
        Assert.Contains("assistant: Echo: short one\n", text);
        var vtt = await http.GetStringAsync($"/v1/sessions/{sessionId}/transcript?format=vtt");
        Assert.Contains($"{heard.Trim()} [interrupted]", vtt);
    }
}
