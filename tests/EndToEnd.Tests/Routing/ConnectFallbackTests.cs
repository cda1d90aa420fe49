using System.Net;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>
/// A route with a fallback chain while OpenAI refuses every connection (the emulator's fault injection): sessions
/// start on Gemini, say what was passed over, and hold a conversation; once a Router's circuit for OpenAI is open,
/// sessions skip OpenAI untried.
/// </summary>
[Collection(FaultyProvidersCollection.Name)]
public class ConnectFallbackTests(FaultyProvidersPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chain_falls_back_from_a_refusing_provider_and_the_open_circuit_skips_it()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        using var created = await http.PostAsync("/v1/routes", new StringContent(
            """{"name":"resilient-voice","target":{"fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}}""", Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var reasons = new List<string>();
        // Two Routers, each with its own circuit (open after two failed connects): by the sixth session both are open.
        for (var i = 0; i < 8 && !reasons.Contains("circuit_open"); i++)
        {
            await using var client = await platform.ConnectAsync("resilient-voice");
            var session = await client.ExpectAsync("session.created", Turn);
            var routing = session.GetProperty("routing");
            Assert.Equal(("resilient-voice", "gemini-3.1-flash-live"), (routing.Str("route"), routing.Str("model")));
            var passedOver = Assert.Single(routing.GetProperty("passed_over").EnumerateArray());
            Assert.Equal("gpt-realtime-2", passedOver.Str("model"));
            reasons.Add(passedOver.Str("reason"));
            if (i == 0)
            {
                Assert.Equal("provider_unavailable", reasons[0]);
                await RealtimeConversationTests.SendUserTextAsync(client, "hello fallback");
                var events = await client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() == "error");
                Assert.Equal("completed", events.Last().GetProperty("response").Str("status"));
            }
        }
        Assert.Contains("circuit_open", reasons);
    }
}
