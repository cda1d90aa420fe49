using System.Diagnostics;
using System.Net.WebSockets;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Limits;

/// <summary>
/// A revoked API key stops working for sessions already open too, not only for new connections: they get an
/// <c>api_key_revoked</c> error and a 1008 close within seconds, and the session is recorded as ended for that reason.
/// </summary>
[Collection(PlatformCollection.Name)]
public class KeyRevocationTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task Revoking_a_key_ends_the_sessions_it_opened_within_seconds(string model)
    {
        var tenant = await LimitedTenant.CreateAsync(platform, $"Revocation {model}");
        var stillValid = await tenant.WithAnotherKeyAsync();
        await using var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri(model), tenant.ApiKey);
        await using var other = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri(model), stillValid.ApiKey);
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
        await other.ExpectAsync("session.created", Turn);
        await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
        await client.CollectUntilAsync("response.done", Turn);

        var revoking = Stopwatch.StartNew();
        await tenant.RevokeKeyAsync();
        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.True(revoking.Elapsed < TimeSpan.FromSeconds(5), $"ended {revoking.Elapsed} after the revocation");

        var error = Assert.Single(events, e => e.Type() == "error");
        Assert.Equal("api_key_revoked", error.GetProperty("error").Str("code"));
        Assert.Equal("invalid_request_error", error.GetProperty("error").Str("type"));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("api_key_revoked", reason);
        Assert.Equal("api_key_revoked", await stillValid.EndReasonAsync(sessionId));

        // The tenant's other key is untouched: its session goes on.
        await RealtimeConversationTests.SendUserTextAsync(other, "still here?");
        var next = await other.CollectUntilAsync("response.done", Turn);
        Assert.Equal("completed", next[^1].GetProperty("response").Str("status"));
    }
}
