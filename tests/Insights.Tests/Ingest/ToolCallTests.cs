using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Ingest;

/// <summary>
/// A server tool call is seen twice: the Tools service reports it (ToolInvoked) and the Gateway reports it as an
/// unanswered client call (no client output came). It counts once, as the server's, whichever arrives first.
/// </summary>
[Collection(InsightsCollection.Name)]
public class ToolCallTests(InsightsServiceFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_call_also_reported_unanswered_by_the_gateway_counts_once_as_the_servers(bool serverFirst)
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        await fixture.Bus.Publish(Started(tenant, session, Start));
        await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.StartedAtUnixMs != 0);
        var server = ServerToolCall(tenant, session, "call_x", "ok", 320, Start.AddSeconds(5));
        var unanswered = ClientToolCall(tenant, session, "call_x", "unanswered", 9_000, Start.AddSeconds(14));
        // A genuine client call alongside, answered.
        var client = ClientToolCall(tenant, session, "call_y", "ok", 150, Start.AddSeconds(20));

        if (serverFirst)
        {
            await fixture.Bus.Publish(server);
            await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.ToolCalls.Count == 1);
            await fixture.Bus.Publish(unanswered);
        }
        else
        {
            await fixture.Bus.Publish(unanswered);
            await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.ToolCalls.Count == 1);
            await fixture.Bus.Publish(server);
        }
        await fixture.Bus.Publish(client);

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session,
            q => q.ToolCalls.Count == 2 && q.ToolCalls.Any(c => c.CallId == "call_y") && q.ToolCalls.Any(c => c.ExecutedBy == "server"));
        Assert.Equal([("call_x", "server", "ok", 320L), ("call_y", "client", "ok", 150L)],
            quality.ToolCalls.Select(c => (c.CallId, c.ExecutedBy, c.Outcome, c.LatencyMs)));

        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);
        Assert.Equal(2, group.ToolCalls);
        Assert.Equal(0, group.ToolFailures);
        Assert.Equal(2, group.ToolLatency.Count);
        Assert.Equal(150, group.ToolLatency.P50Ms);
        SketchPrecision.AssertEquivalent(320, group.ToolLatency.P99Ms);
    }
}
