using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>
/// A client whose socket drops reconnects — to the other Gateway instance — with its session id and resume token and
/// continues the same session.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ClientResumeTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    private Uri ResumeUri(string sessionId, string token) =>
        new($"{platform.SecondGateway.Replace("http://", "ws://")}/v1/realtime?session_id={sessionId}&resume_token={Uri.EscapeDataString(token)}");

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task Dropped_client_resumes_the_same_session_with_its_history_on_another_gateway(string model)
    {
        var first = await platform.ConnectAsync(model);
        var created = await first.ExpectAsync("session.created", Turn);
        var resume = created.GetProperty("resume");
        var sessionId = resume.Str("session_id");
        Assert.Equal(created.GetProperty("session").Str("id"), sessionId);
        Assert.True(resume.GetProperty("window_seconds").GetInt32() > 0);

        await first.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { output = new { format = new { type = "audio/pcmu" } } } } });
        await first.ExpectAsync("session.updated", Turn);
        await RealtimeConversationTests.SendUserTextAsync(first, "my name is Ada");
        var turn = await first.CollectUntilAsync("response.done", Turn);
        var userItem = turn.First(e => e.Type() == "conversation.item.added").GetProperty("item").Str("id");
        first.Socket.Abort(); // the network dropped: no close handshake
        await first.DisposeAsync();

        await using var second = await RealtimeTestClient.ConnectAsync(ResumeUri(sessionId, resume.Str("token")), platform.Endpoints.DevApiKey);
        var resumed = await second.ExpectAsync("session.resumed", Turn);
        Assert.Equal(sessionId, resumed.Str("session_id"));

        if (model.StartsWith("gemini", StringComparison.Ordinal))
        {
            // Gemini restored its context (from the resumption handle or the checkpointed history).
            await RealtimeConversationTests.SendUserTextAsync(second, "recall");
            var events = await second.CollectUntilAsync("response.done", Turn);
            Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
            Assert.Equal("Earlier you said: my name is Ada", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            AssertMuLaw(events);
        }
        else
        {
            // The replayed conversation kept its item ids.
            await second.SendAsync(new { type = "conversation.item.retrieve", item_id = userItem });
            var retrieved = await second.ExpectAsync("conversation.item.retrieved", Turn);
            Assert.Equal("my name is Ada", retrieved.GetProperty("item").GetProperty("content")[0].Str("text"));
            await RealtimeConversationTests.SendUserTextAsync(second, "and now?");
            var events = await second.CollectUntilAsync("response.done", Turn);
            Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
            Assert.Equal("Echo: and now?", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            AssertMuLaw(events);
        }
    }

    [Fact]
    public async Task A_wrong_resume_token_is_refused_before_the_upgrade()
    {
        await using var client = await platform.ConnectAsync("gpt-realtime-2");
        var created = await client.ExpectAsync("session.created", Turn);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{platform.Endpoints.Gateway}/v1/realtime?session_id={created.GetProperty("resume").Str("session_id")}&resume_token=rt_forged");
        request.Headers.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("session_not_found", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").Str("code"));
    }

    // The client's μ-law output format survived the reconnect: 8 kHz, one byte per sample, 60 ms per character.
    private static void AssertMuLaw(List<JsonElement> events)
    {
        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        var bytes = events.Where(e => e.Type() == "response.output_audio.delta").Sum(d => Convert.FromBase64String(d.Str("delta")).Length);
        Assert.InRange(bytes, transcript.Length * 0.060 * 8000 * 0.7, transcript.Length * 0.060 * 8000 * 1.3);
    }
}
