using System.Net.WebSockets;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>
/// A platform whose OpenAI emulator refuses every connection and whose Gemini emulator drops each one after 8 s (room
/// for a turn on a busy machine); a Gemini session recovers one such drop a minute, so the second ends it. A Router's
/// circuit for a provider opens after two failed connects (instead of four).
/// </summary>
public sealed class FaultyProvidersPlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["OpenAIEmulator__Faults__RefuseConnections"] = "true",
        ["GeminiEmulator__Faults__CloseAfterSeconds"] = "8",
        ["Providers__Gemini__DropRecoveriesPerMinute"] = "1",
        ["Routing__Fallback__CircuitBreaker__MinimumThroughput"] = "2",
    };
}

/// <summary>
/// One <see cref="FaultyProvidersPlatform"/> for the test classes that use it. Their order does not matter: a session
/// on the refusing provider ends provider_unavailable whether its Router's circuit is still closed or already open.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultyProvidersCollection : ICollectionFixture<FaultyProvidersPlatform>
{
    public const string Name = "Faulty providers platform";
}

/// <summary>A provider that refuses or drops the connection yields an error event and a clean close, never a hang.</summary>
[Collection(FaultyProvidersCollection.Name)]
public class ProviderFailureTests(FaultyProvidersPlatform platform)
{
    [Fact]
    public async Task Refused_provider_connection_is_an_error_event_and_a_clean_close()
    {
        await using var client = await platform.ConnectAsync("gpt-realtime-2");
        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        var error = Assert.Single(events);
        Assert.Equal("error", error.Type());
        Assert.Equal("provider_unavailable", error.GetProperty("error").Str("code"));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("provider_unavailable", reason);
    }

    [Fact]
    public Task Provider_dropping_mid_session_is_an_error_event_and_a_clean_close() => platform.WithLogOnFailureAsync(async () =>
    {
        await using var client = await platform.ConnectAsync("gemini-3.1-flash-live");
        await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30));
        await RealtimeConversationTests.SendUserTextAsync(client, "hello");
        await client.CollectUntilAsync("response.done", TimeSpan.FromSeconds(30));

        // The first drop is recovered (the session goes on), the second ends the session: an error, then a close.
        var (status, _, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(40));
        Assert.Contains(events, e => e.Type() == "error");
        Assert.NotNull(status);
    });
}
