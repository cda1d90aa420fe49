using System.Text.Json;
using System.Diagnostics;
using Grpc.Net.Client;
using VoicePlatform.Contracts.Router;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>A platform of its own for draining a Router (SIGTERM ends that Router for good in AppHost's eyes).</summary>
public sealed class DrainPlatform : PlatformFixture
{
    protected override bool WarmUpAtOnce => false; // sessions move between Routers, as in production
}

/// <summary>
/// SIGTERM on a Router hands its live sessions to the other one (clients notice nothing); SIGTERM on the Gateway tells
/// clients and closes them cleanly, and they resume on the next instance.
/// </summary>
public class RouterDrainTests(DrainPlatform platform) : IClassFixture<DrainPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Draining_router_hands_its_sessions_to_the_other_one()
    {
        var clients = new List<RealtimeTestClient>();
        try
        {
            foreach (var model in Enumerable.Repeat("gpt-realtime-2", 4).Concat(Enumerable.Repeat("gemini-3.1-flash-live", 4)))
            {
                var client = await platform.ConnectAsync(model);
                await client.ExpectAsync("session.created", Turn);
                clients.Add(client);
            }
            await Task.WhenAll(clients.Select(async client =>
            {
                await RealtimeConversationTests.SendUserTextAsync(client, "before the deploy");
                await client.CollectUntilAsync("response.done", Turn);
            }));

            using var channel = GrpcChannel.ForAddress(platform.Endpoints.Grpc["router-1"]);
            var before = await new RealtimeRouter.RealtimeRouterClient(channel).GetInstanceInfoAsync(new GetInstanceInfoRequest());
            Assert.True(before.ActiveSessions > 0, "router-1 serves some of the sessions");

            using (var term = Process.Start("kill", ["-TERM", platform.ProcessId("router-1").ToString()]))
                await term.WaitForExitAsync();

            await Task.WhenAll(clients.Select(async client =>
            {
                Assert.True(client.Socket.State == System.Net.WebSockets.WebSocketState.Open,
                    $"client closed: {client.Socket.CloseStatus} {client.Socket.CloseStatusDescription}");
                await RealtimeConversationTests.SendUserTextAsync(client, "after the deploy");
                var events = await client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
                Assert.Equal("Echo: after the deploy", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            }));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Draining_gateway_tells_clients_who_then_resume_on_the_next_instance()
    {
        await WaitForGatewayAsync();
        string[] models = ["gpt-realtime-2", "gemini-3.1-flash-live"];
        var sessions = new List<(string Model, RealtimeTestClient Client, JsonElement Resume)>();
        foreach (var model in models)
        {
            var client = await platform.ConnectAsync(model);
            var resume = (await client.ExpectAsync("session.created", Turn)).GetProperty("resume");
            await RealtimeConversationTests.SendUserTextAsync(client, "my name is Ada");
            await client.CollectUntilAsync("response.done", Turn);
            sessions.Add((model, client, resume));
        }

        // One SIGTERM (AppHost restarts a child only once): every client is told, then closed cleanly.
        using (var term = Process.Start("kill", ["-TERM", platform.ProcessId("gateway").ToString()]))
            await term.WaitForExitAsync();
        foreach (var (_, client, resume) in sessions)
        {
            var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(30));
            var notice = Assert.Single(events, e => e.Type() == "session.draining");
            Assert.Equal(resume.Str("session_id"), notice.Str("session_id"));
            Assert.DoesNotContain(events, e => e.Type() == "error");
            Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)1012, status);
            Assert.Equal("server_restarting", reason);
            await client.DisposeAsync();
        }

        // AppHost brings the Gateway back (as a deployment brings another instance); each client resumes there.
        await WaitForGatewayAsync();
        foreach (var (model, _, resume) in sessions)
        {
            var uri = new Uri($"{platform.Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?session_id={resume.Str("session_id")}&resume_token={Uri.EscapeDataString(resume.Str("token"))}");
            await using var resumed = await RealtimeTestClient.ConnectAsync(uri, platform.Endpoints.DevApiKey);
            await resumed.ExpectAsync("session.resumed", Turn);
            var gemini = model.StartsWith("gemini", StringComparison.Ordinal);
            await RealtimeConversationTests.SendUserTextAsync(resumed, gemini ? "recall" : "and now?");
            var reply = await resumed.CollectUntilAsync("response.done", Turn);
            Assert.DoesNotContain(reply, e => e.Type() is "error" or "session.created");
            Assert.Equal(gemini ? "Earlier you said: my name is Ada" : "Echo: and now?",
                reply.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
        }
    }

    private async Task WaitForGatewayAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"{platform.Endpoints.Management["gateway"]}/health")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, ok => ok, TimeSpan.FromSeconds(60));
    }
}
