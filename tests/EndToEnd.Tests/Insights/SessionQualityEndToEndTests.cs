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
        await using (var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), platform.Endpoints.DevApiKey))
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

    private static async Task<JsonElement?> QualityAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/quality");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }
}
