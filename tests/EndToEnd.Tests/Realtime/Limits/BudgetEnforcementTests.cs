using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Limits;

/// <summary>
/// Budgets are enforced, not just reported: a hard budget crossed mid-session warns the client and ends the session
/// once the response in progress is done; new sessions are then refused with insufficient_quota. A soft budget warns only.
/// </summary>
[Collection(PlatformCollection.Name)]
public class BudgetEnforcementTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    // Long enough that its audio still streams (at 4x real time) when the first turn's cost reaches the ledger.
    private static readonly string LongRequest = string.Join(" ", Enumerable.Repeat("please keep talking about the weather", 12));

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task A_hard_budget_crossed_mid_session_ends_it_after_the_current_response(string model)
    {
        var tenant = await LimitedTenant.CreateAsync(platform, $"Budget {model}");
        var limits = await tenant.SetLimitsAsync(new { monthly_budget_usd = "0.000001", budget_mode = "hard" });
        Assert.Equal("0.000001", limits.GetProperty("budget").GetProperty("monthly_budget_usd").GetString());
        Assert.False(limits.GetProperty("budget").GetProperty("reached").GetBoolean());

        await using var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri(model), tenant.ApiKey);
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");

        // The first response costs more than the whole budget; the second starts straight away and is in progress when
        // the Gateway learns the budget is used up.
        await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
        var first = await client.CollectUntilAsync("response.done", Turn);
        Assert.Equal("completed", first[^1].GetProperty("response").Str("status"));
        // The Gateway checks the budget every second: when its check falls between the first response.done and the
        // second request (no response open then), the session ends at the warning before the request leaves.
        var secondSent = true;
        try
        {
            await RealtimeConversationTests.SendUserTextAsync(client, LongRequest);
        }
        catch (WebSocketException) when (client.Socket.State is WebSocketState.Closed or WebSocketState.CloseReceived or WebSocketState.Aborted)
        {
            secondSent = false;
        }

        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(60));
        var types = events.Select(e => e.Type()).ToList();
        Assert.DoesNotContain("error", types);
        var notice = events.Single(e => e.Type() == "session.limit_reached");
        Assert.Equal("monthly_budget", notice.Str("limit"));
        Assert.Equal("insufficient_quota", notice.Str("code"));
        Assert.True(notice.GetProperty("session_ends").GetBoolean());
        var noticeAt = types.IndexOf("session.limit_reached");
        if (secondSent && events.Any(e => e.Type() == "response.created"))
        {
            // The second response finished whole. OpenAI's replies stream at a realistic pace here, so the warning
            // comes while it streams and the session ends right after its response.done; the emulated Gemini answers
            // at once, so there the warning may come after it, and the session ends at the warning.
            var doneAt = types.LastIndexOf("response.done");
            Assert.Equal("completed", events[doneAt].GetProperty("response").Str("status"));
            Assert.Equal("Echo: " + LongRequest, events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
            if (model == "gpt-realtime-2") Assert.True(types.IndexOf("response.created") < noticeAt && noticeAt < doneAt, string.Join(",", types));
            Assert.Equal(Math.Max(noticeAt, doneAt), types.Count - 1); // nothing after: the session ended there
        }
        else
        {
            // The session ended at the warning, with no response open: nothing of a second response, nothing after it.
            Assert.DoesNotContain("response.created", types);
            Assert.Equal(noticeAt, types.Count - 1);
        }
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("budget_exceeded", reason);

        var refused = await HandshakeAttempt.SendAsync(platform.RealtimeUri(model).ToString().Replace("ws://", "http://"), tenant.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("insufficient_quota", refused.Code);
        Assert.Equal("insufficient_quota", refused.Type);

        Assert.Equal("budget_exceeded", await tenant.EndReasonAsync(sessionId));
    }

    [Fact]
    public async Task A_session_starts_exactly_until_the_budget_is_reached()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "Budget threshold");
        await tenant.SetLimitsAsync(new { monthly_budget_usd = "0", budget_mode = "hard" }); // reached at once: 0 >= 0
        var refused = await HandshakeAttempt.SendAsync(platform.RealtimeUri("gpt-realtime-2").ToString().Replace("ws://", "http://"), tenant.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("insufficient_quota", refused.Code);

        await tenant.SetLimitsAsync(new { monthly_budget_usd = "0.000001", budget_mode = "hard" }); // 0 spent < budget
        await using var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), tenant.ApiKey);
        await client.ExpectAsync("session.created", Turn);
    }

    [Fact]
    public async Task A_budget_lowered_through_the_api_refuses_the_next_start_at_once()
    {
        // A start reuses Billing's recent "not blocked" for a few seconds (set-up latency); setting the budget forgets it.
        var tenant = await LimitedTenant.CreateAsync(platform, "Budget lowered");
        await tenant.SetLimitsAsync(new { monthly_budget_usd = "100", budget_mode = "hard" });
        await using (var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), tenant.ApiKey))
        {
            await client.ExpectAsync("session.created", Turn);
        }

        await tenant.SetLimitsAsync(new { monthly_budget_usd = "0", budget_mode = "hard" });
        var refused = await HandshakeAttempt.SendAsync(platform.RealtimeUri("gpt-realtime-2").ToString().Replace("ws://", "http://"), tenant.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("insufficient_quota", refused.Code);
    }

    [Fact]
    public async Task A_soft_budget_warns_once_and_the_session_goes_on()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "Soft budget");
        await tenant.SetLimitsAsync(new { monthly_budget_usd = "0.000001", budget_mode = "soft" });

        await using var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), tenant.ApiKey);
        await client.ExpectAsync("session.created", Turn);
        await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
        await client.CollectUntilAsync("response.done", Turn);

        var notice = (await client.CollectUntilAsync("session.limit_reached", Turn))[^1];
        Assert.Equal("monthly_budget", notice.Str("limit"));
        Assert.False(notice.GetProperty("session_ends").GetBoolean());

        await RealtimeConversationTests.SendUserTextAsync(client, "still here?");
        var next = await client.CollectUntilAsync("response.done", Turn);
        Assert.Equal("Echo: still here?", next.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
        Assert.DoesNotContain(next, e => e.Type() == "session.limit_reached");
        Assert.DoesNotContain(await EventsWithinAsync(client, TimeSpan.FromSeconds(3)), e => e.Type() == "session.limit_reached"); // warned once, not every check
    }

    private static async Task<List<JsonElement>> EventsWithinAsync(RealtimeTestClient client, TimeSpan window)
    {
        var events = new List<JsonElement>();
        var end = DateTime.UtcNow + window;
        try
        {
            while (DateTime.UtcNow < end) events.Add(await client.NextAsync(end - DateTime.UtcNow));
        }
        catch (OperationCanceledException)
        {
        }
        return events;
    }
}
