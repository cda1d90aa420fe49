using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Events;

/// <summary>
/// RabbitMQ stops in the middle of a conversation and comes back 30 s later: the session goes on, the events of the
/// turns spoken meanwhile wait in the Routers' Redis spool, and once the broker is back every transcript segment and
/// every usage arrives exactly once.
/// </summary>
[Collection(PlatformCollection.Name)]
public class BrokerOutageTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_30_second_broker_outage_mid_session_loses_and_doubles_nothing()
    {
        var rabbit = platform.RabbitMq;
        var usages = new List<JsonElement>();
        var said = new List<string>();
        string sessionId;
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);
        await using (var client = await platform.ConnectAsync("gpt-realtime-2"))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            async Task TurnAsync(string text)
            {
                await RealtimeConversationTests.SendUserTextAsync(client, text);
                var events = await client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() == "error");
                usages.Add(events[^1].GetProperty("response").GetProperty("usage").Clone());
                said.Add(text);
            }

            await TurnAsync("before the outage");
            Assert.Equal(2, (await Poll.UntilAsync(() => SegmentsAsync(http, sessionId), s => s.Count >= 2, Turn)).Count);
            var stopped = DateTime.UtcNow;
            await rabbit.StopBrokerAsync(CancellationToken.None);
            try
            {
                await TurnAsync("during the outage, first");
                await Task.Delay(TimeSpan.FromSeconds(10));
                await TurnAsync("during the outage, second");
                // The outage is real: nothing spoken since the broker stopped has reached the Transcripts service.
                Assert.Equal(2, (await SegmentsAsync(http, sessionId)).Count);
                await Task.Delay(Outage - (DateTime.UtcNow - stopped));
            }
            finally
            {
                await rabbit.StartBrokerAsync(CancellationToken.None);
            }
            await TurnAsync("after the outage");
        }

        var expected = said.SelectMany(text => new[] { ("user", text), ("assistant", "Echo: " + text) }).ToList();
        var segments = await Poll.UntilAsync(() => SegmentsAsync(http, sessionId), s => s.Count >= expected.Count, TimeSpan.FromSeconds(90));
        Assert.Equal(expected, segments);

        var cost = await Poll.UntilAsync(() => CostAsync(http, sessionId), c => c.Events >= usages.Count, TimeSpan.FromSeconds(90));
        Assert.Equal(usages.Count, cost.Events);
        // Redelivery after the outage must not double anything: the counts stay put a moment later.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(expected, await SegmentsAsync(http, sessionId));
        Assert.Equal(usages.Count, (await CostAsync(http, sessionId)).Events);
        Assert.Equal(usages.Sum(u => u.GetProperty("output_tokens").GetInt64()), cost.OutputTokens);
    }

    private static Task<List<(string Role, string Text)>> SegmentsAsync(HttpClient http, string sessionId) => SessionRecords.SegmentsAsync(http, sessionId);

    private static Task<(long Events, long OutputTokens)> CostAsync(HttpClient http, string sessionId) => SessionRecords.CostAsync(http, sessionId);
}
