using System.Diagnostics;
using Grpc.Net.Client;
using VoicePlatform.Contracts.Router;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>A platform of its own for draining a Router (SIGTERM ends that Router for good in AppHost's eyes).</summary>
public sealed class DrainPlatform : PlatformFixture
{
    public Uri RealtimeUri(string model) =>
        new($"{Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?model={Uri.EscapeDataString(model)}");

    public int RouterProcessId(string name) => Runner.Resources.Single(r => r.Name == name).ProcessIds.First();
}

/// <summary>SIGTERM on a Router hands its live sessions to the other one; clients notice nothing.</summary>
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
                var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri(model), platform.Endpoints.DevApiKey);
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

            using (var term = Process.Start("kill", ["-TERM", platform.RouterProcessId("router-1").ToString()]))
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
}
