using System.Net;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>
/// Sessions an experiment placed survive a Router kill on their model and arm: the Router that takes them over restores
/// the routing from the session's state instead of resolving the route again (which, the experiment having stopped,
/// would now give Gemini).
/// </summary>
public class RoutedFailoverTests(FailoverPlatform platform) : IClassFixture<FailoverPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Experiment_sessions_keep_their_model_across_a_router_kill_after_the_experiment_stopped()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        await PostAsync(http, "/v1/routes", """{"name":"failover-voice","target":"gemini-3.1-flash-live"}""");
        var experiment = (await PostAsync(http, "/v1/experiments", """
            { "name": "voices", "route": "failover-voice",
              "arms": [ {"name": "alloy", "target": "gpt-realtime-2", "weight": 1},
                        {"name": "marin", "target": {"model": "gpt-realtime-2", "session": {"audio": {"output": {"voice": "marin"}}}}, "weight": 1} ] }
            """)).GetProperty("id").GetString()!;
        await PostAsync(http, $"/v1/experiments/{experiment}/start", "");

        var clients = new List<RealtimeTestClient>();
        try
        {
            for (var i = 0; i < 6; i++) // spread over both Routers
            {
                var client = await RealtimeTestClient.ConnectAsync(
                    new Uri($"{platform.RealtimeUri("failover-voice")}&user=caller-{i}"), platform.Endpoints.DevApiKey);
                var routing = (await client.ExpectAsync("session.created", Turn)).GetProperty("routing");
                Assert.Equal(("gpt-realtime-2", experiment), (routing.Str("model"), routing.Str("experiment")));
                clients.Add(client);
            }
            await PostAsync(http, $"/v1/experiments/{experiment}/stop", "");
            platform.KillRouter("router-1");

            await Task.WhenAll(clients.Select(async client =>
            {
                // OpenAI's emulator echoes; Gemini's would answer "recall" from the history.
                await RealtimeConversationTests.SendUserTextAsync(client, "recall");
                var events = await client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
                Assert.Equal("Echo: recall", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            }));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
