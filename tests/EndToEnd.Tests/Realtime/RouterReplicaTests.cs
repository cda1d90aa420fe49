using Grpc.Net.Client;
using VoicePlatform.Contracts.Router;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>AppHost runs two Router replicas by default, and the Gateway spreads sessions over both.</summary>
[Collection(PlatformCollection.Name)]
public class RouterReplicaTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Sessions_are_spread_over_both_router_replicas()
    {
        var routers = platform.Endpoints.Grpc.Where(g => g.Key.StartsWith("router-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, routers.Count);

        var clients = new List<RealtimeTestClient>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var client = await platform.ConnectAsync("gpt-realtime-2");
                await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30));
                clients.Add(client);
            }

            var active = new List<int>();
            foreach (var (_, url) in routers)
            {
                using var channel = GrpcChannel.ForAddress(url);
                active.Add((await new RealtimeRouter.RealtimeRouterClient(channel).GetInstanceInfoAsync(new GetInstanceInfoRequest())).ActiveSessions);
            }
            Assert.Equal(6, active.Sum());
            Assert.All(active, count => Assert.True(count > 0, $"sessions per router: {string.Join(", ", active)}"));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
