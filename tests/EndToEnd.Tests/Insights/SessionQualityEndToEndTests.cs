using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Insights;

/// <summary>
/// A session through the whole platform reaches Insights from three publishers — the Router (SessionStarted /
/// SessionEnded), Billing (UsagePriced, priced from the Router's UsageRecorded) — and is served by the Gateway's
/// <c>GET /v1/sessions/{id}/quality</c> with the same cost as Billing's <c>/v1/sessions/{id}/cost</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public class SessionQualityEndToEndTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_session_shows_its_routing_end_and_cost_in_its_quality()
    {
        string sessionId;
        await using (var client = await platform.ConnectAsync("gpt-realtime-2"))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
            await client.CollectUntilAsync("response.done", Turn);
        }

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        var quality = await Poll.UntilAsync(() => QualityAsync(http, sessionId),
            q => q is { } e && e.GetProperty("end_category").ValueKind == JsonValueKind.String && e.GetProperty("cost_usd").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(60));
        Assert.NotNull(quality);
        var q = quality.Value;
        Assert.Equal("session.quality", q.GetProperty("object").GetString());
        Assert.Equal("gpt-realtime-2", q.GetProperty("model").GetString());
        Assert.Equal("openai", q.GetProperty("provider").GetString());
        Assert.Equal("client_closed", q.GetProperty("end_category").GetString());
        Assert.NotEqual(JsonValueKind.Null, q.GetProperty("started_at").ValueKind);

        using var cost = JsonDocument.Parse(await http.GetStringAsync($"/v1/sessions/{sessionId}/cost"));
        Assert.Equal(decimal.Parse(cost.RootElement.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture), q.GetProperty("cost_usd").GetDecimal());

        using var missing = await http.GetAsync("/v1/sessions/sess_does_not_exist/quality");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_resumed_session_adds_up_its_connections_and_records_how_long_the_client_was_away()
    {
        var first = await platform.ConnectAsync("gpt-realtime-2");
        var created = await first.ExpectAsync("session.created", Turn);
        var resume = created.GetProperty("resume");
        var sessionId = resume.Str("session_id");
        await RealtimeConversationTests.SendUserTextAsync(first, "before the drop");
        await first.CollectUntilAsync("response.done", Turn);
        var away = System.Diagnostics.Stopwatch.StartNew();
        first.Socket.Abort(); // the network dropped
        await first.DisposeAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the client is away this long at least (the figure under test)
        await using (var second = await RealtimeTestClient.ConnectAsync(
            new Uri($"{platform.SecondGateway.Replace("http://", "ws://")}/v1/realtime?session_id={sessionId}&resume_token={Uri.EscapeDataString(resume.Str("token"))}"),
            platform.Endpoints.DevApiKey))
        {
            await second.ExpectAsync("session.resumed", Turn);
            var awayMs = away.ElapsedMilliseconds;
            await RealtimeConversationTests.SendUserTextAsync(second, "after the resume");
            await second.CollectUntilAsync("response.done", Turn);

            using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
            await second.DisposeAsync();
            // Each connection's totals, turns and continuity events are separate messages to Insights, applied in any
            // order: wait until all of them are in (a record with both connections could still lack the second turn).
            var quality = await Poll.UntilAsync(() => QualityAsync(http, sessionId),
                q => q is { } e && e.GetProperty("connections").GetInt32() == 2 && e.GetProperty("turns").GetArrayLength() >= 2
                    && e.GetProperty("continuity_events").GetArrayLength() >= 1, TimeSpan.FromSeconds(60));
            Assert.NotNull(quality);
            var q = quality.Value;
            Assert.Equal(2, q.GetProperty("turns").GetArrayLength());
            var resumed = Assert.Single(q.GetProperty("continuity_events").EnumerateArray(), e => e.Str("kind") == "client_resume");
            var duration = resumed.GetProperty("duration_ms").GetInt64();
            Assert.True(duration >= 500 && duration <= awayMs + 1_000, $"away {duration} ms by the Gateway's record, at most {awayMs} ms by the client's");
            Assert.All(q.GetProperty("turns").EnumerateArray(), t => Assert.Equal("completed", t.Str("status")));
        }
    }

    private static async Task<JsonElement?> QualityAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/quality");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }
}
