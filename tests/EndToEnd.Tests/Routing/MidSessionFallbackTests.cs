using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.EndToEnd.Tests.Realtime.Events;
using VoicePlatform.EndToEnd.Tests.Realtime.Tools;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>
/// Mid-session fallback: on a route with a fallback chain, a provider that fails for good in the middle of a
/// conversation (OpenAI out of quota, OpenAI's connection cut, Gemini's key expired — each asked of the emulator by the
/// user's own message) hands the session to the next model. The client sees one <c>session.model_changed</c> and no
/// error; the turn in flight is answered by the new model, which knows the conversation; the transcript is continuous
/// and usage is billed per model.
/// </summary>
[Collection(ToolsPlatformCollection.Name)]
public class MidSessionFallbackTests(ToolsPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private const string Gpt = "gpt-realtime-2";
    private const string Gemini = "gemini-3.1-flash-live";

    [Theory]
    [InlineData(Gpt, Gemini, "[openai-fault:insufficient_quota]")]
    [InlineData(Gpt, Gemini, "[openai-fault:drop]")]
    [InlineData(Gemini, Gpt, "[gemini-fault:key_expired]")]
    public async Task A_provider_failing_for_good_mid_conversation_hands_the_session_to_the_next_model(string first, string next, string fault)
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var route = await CreateChainAsync(http, first, next);

        string sessionId;
        var interrupted = $"{fault} Are you still there?";
        await using (var client = await platform.ConnectAsync(route))
        {
            var created = await client.ExpectAsync("session.created", Turn);
            sessionId = created.GetProperty("session").Str("id");
            Assert.Equal(first, created.GetProperty("routing").Str("model"));

            await RealtimeConversationTests.SendUserTextAsync(client, "My name is Ada.");
            Assert.Equal("Echo: My name is Ada.", Spoken(await client.CollectUntilAsync("response.done", Turn)));

            // The provider fails right after taking this message; the next model answers it.
            await RealtimeConversationTests.SendUserTextAsync(client, interrupted);
            var events = await CollectUntilCompletedAsync(client);
            Assert.DoesNotContain(events, e => e.Type() == "error");
            var changed = Assert.Single(events, e => e.Type() == "session.model_changed");
            Assert.Equal((next, first, "provider_unavailable"), (changed.Str("model"), changed.Str("previous_model"), changed.Str("reason")));
            Assert.Equal($"Echo: {interrupted}", Spoken(events.SkipWhile(e => e.Type() != "session.model_changed").ToList()));

            // The conversation goes on, on the new model, with what was said before it.
            await RealtimeConversationTests.SendUserTextAsync(client, "history");
            var reply = Spoken(await client.CollectUntilAsync("response.done", Turn));
            Assert.Equal(next == Gemini ? "History has 4 turns." : "Echo: history", reply);
        }

        var segments = await Poll.UntilAsync(() => SessionRecords.SegmentsAsync(http, sessionId), s => s.Count >= 6, TimeSpan.FromSeconds(60));
        Assert.Equal(
            [("user", "My name is Ada."), ("assistant", "Echo: My name is Ada."), ("user", interrupted), ("assistant", $"Echo: {interrupted}"), ("user", "history")],
            segments.Take(5));
        var models = await Poll.UntilAsync(() => ModelsBilledAsync(http, sessionId), m => m.Count >= 2, TimeSpan.FromSeconds(60));
        Assert.Equal(new[] { first, next }.Order(), models.Order());
    }

    [Fact]
    public async Task A_resumed_session_keeps_its_way_forward_along_the_chain()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var route = await CreateChainAsync(http, Gpt, Gemini);

        var first = await platform.ConnectAsync(route);
        var resume = (await first.ExpectAsync("session.created", Turn)).GetProperty("resume");
        await RealtimeConversationTests.SendUserTextAsync(first, "My name is Ada.");
        await first.CollectUntilAsync("response.done", Turn);
        first.Socket.Abort(); // the network dropped
        await first.DisposeAsync();

        var resumeUri = new Uri($"{platform.Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?session_id={resume.Str("session_id")}"
            + $"&resume_token={Uri.EscapeDataString(resume.Str("token"))}");
        await using var second = await RealtimeTestClient.ConnectAsync(resumeUri, platform.Endpoints.DevApiKey);
        await second.ExpectAsync("session.resumed", Turn);
        await RealtimeConversationTests.SendUserTextAsync(second, "[openai-fault:insufficient_quota] Still there?");
        var events = await CollectUntilCompletedAsync(second);
        Assert.DoesNotContain(events, e => e.Type() == "error");
        Assert.Equal(Gemini, Assert.Single(events, e => e.Type() == "session.model_changed").Str("model"));

        await RealtimeConversationTests.SendUserTextAsync(second, "history");
        Assert.Equal("History has 4 turns.", Spoken(await second.CollectUntilAsync("response.done", Turn)));
    }

    /// <summary>A route of its own per test: <paramref name="first"/>, falling back to <paramref name="next"/>.</summary>
    private static async Task<string> CreateChainAsync(HttpClient http, string first, string next)
    {
        var route = $"carry-on-{Guid.NewGuid():N}"[..20];
        using var created = await http.PostAsync("/v1/routes", new StringContent(
            JsonSerializer.Serialize(new { name = route, target = new { fallback = new[] { first, next } } }), Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return route;
    }

    /// <summary>Events up to the response.done that completed (a response the failure cut ends failed first).</summary>
    private static async Task<List<JsonElement>> CollectUntilCompletedAsync(RealtimeTestClient client)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var batch = await client.CollectUntilAsync("response.done", Turn);
            events.AddRange(batch);
            if (batch[^1].GetProperty("response").Str("status") == "completed") return events;
        }
    }

    private static string Spoken(IEnumerable<JsonElement> events) =>
        events.Last(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");

    private static async Task<List<string>> ModelsBilledAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/cost");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetString()!)];
    }
}
