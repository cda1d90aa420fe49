using System.Text.Json;
using StackExchange.Redis;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>The Router checkpoints each session to Redis at turn boundaries: configuration, conversation, owner lease.</summary>
[Collection(PlatformCollection.Name)]
public class SessionCheckpointTests(EndToEndPlatform platform)
{
    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task Configuration_and_conversation_are_checkpointed_under_a_lease(string model)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Endpoints.ConnectionStrings["redis"]);
        var db = redis.GetDatabase();
        await using var client = await platform.ConnectAsync(model);
        var sessionId = (await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30))).GetProperty("session").Str("id");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Checkpoint me." } });
        await client.ExpectAsync("session.updated", TimeSpan.FromSeconds(30));
        await RealtimeConversationTests.SendUserTextAsync(client, "remember this");
        await client.CollectUntilAsync("response.done", TimeSpan.FromSeconds(30));

        var history = await Poll.UntilAsync(
            async () => (await db.ListRangeAsync($"session:{{{sessionId}}}:history")).Select(v => JsonDocument.Parse((string)v!).RootElement).ToList(),
            items => items.Count >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal("user", history[0].Str("role"));
        Assert.Equal("remember this", history[0].GetProperty("content")[0].Str("text"));
        Assert.Equal("assistant", history[1].Str("role"));
        Assert.Equal("Echo: remember this", history[1].GetProperty("content")[0].Str("transcript"));
        Assert.DoesNotContain("\"audio\":", history[1].GetRawText());

        var state = (await db.HashGetAllAsync($"session:{{{sessionId}}}:state")).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal(platform.Endpoints.DevTenantId, state["tenant"]);
        Assert.Equal(model, state["model"]);
        Assert.Equal("Checkpoint me.", JsonDocument.Parse(state["config"]).RootElement.Str("instructions"));
        var lease = (string?)await db.StringGetAsync($"session:{{{sessionId}}}:lease");
        Assert.StartsWith("router-", lease);
        Assert.NotNull(await db.KeyTimeToLiveAsync($"session:{{{sessionId}}}:lease"));
    }
}
