using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Ingest;

/// <summary>
/// The Gateway, the Router, the Tools service and Billing publish independently: a session's events arrive in any
/// order. Whatever arrives is stored; the session comes together when the rest arrives.
/// </summary>
[Collection(InsightsCollection.Name)]
public class OutOfOrderTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Facts_before_SessionStarted_are_kept_and_the_session_completes_when_it_arrives()
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        var dims = Dims("gemini-3.1-flash-live", "google", route: "support", experiment: "exp_1", arm: "treatment");

        // The end first, then a server tool call (no dimensions of its own), then the Gateway's facts, the start last.
        await fixture.Bus.Publish(Ended(tenant, session, Start.AddSeconds(45), 45_000, "idle_timeout"));
        await fixture.Bus.Publish(ServerToolCall(tenant, session, "call_srv", "ok", 180, Start.AddSeconds(8)));
        await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.ToolCalls.Count == 1 && q.EndCategory == "idle");
        // The tool call waits for the session's dimensions before it is counted in a bucket.
        Assert.Empty((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);

        await fixture.Bus.Publish(Turn(tenant, session, "resp_1", Start.AddSeconds(4), ttfaMs: 800, dims: dims));
        await fixture.Bus.Publish(Started(tenant, session, Start, "gemini-3.1-flash-live", "google", "support", "exp_1", "treatment"));

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.StartedAtUnixMs != 0 && q.TurnDetails.Count == 1);
        Assert.Equal("gemini-3.1-flash-live", quality.Model);
        Assert.Equal("google", quality.Provider);
        Assert.Equal("support", quality.Route);
        Assert.Equal("exp_1", quality.ExperimentId);
        Assert.Equal("treatment", quality.ExperimentArm);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), quality.StartedAtUnixMs);
        Assert.Equal(Start.AddSeconds(45).ToUnixTimeMilliseconds(), quality.EndedAtUnixMs);
        Assert.Equal("idle_timeout", quality.EndReason);
        Assert.Equal(45_000, quality.DurationMs);

        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant, "arm")).Groups);
        Assert.Equal("treatment", group.Key);
        Assert.Equal(1, group.Turns);
        Assert.Equal(1, group.ToolCalls);
        Assert.Equal(180, group.ToolLatency.P50Ms);
    }

    [Fact]
    public async Task A_sessions_connections_add_up_and_the_last_one_ends_it()
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        // The client dropped (client_closed) and resumed on a second connection, which hit a limit; published newest first.
        await fixture.Bus.Publish(Connection(tenant, session, "conn_2", Start.AddSeconds(40), 20_000, turns: 3, endReason: "limit", interruptions: 1));
        await fixture.Bus.Publish(Connection(tenant, session, "conn_1", Start, 30_000, turns: 2, endReason: "client_closed", interruptions: 2));

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.Connections == 2);
        Assert.Equal(5, quality.Turns);
        Assert.Equal(50_000, quality.DurationMs);
        Assert.Equal(8_000, quality.AudioInMs);
        Assert.Equal(12_000, quality.AudioOutMs);
        Assert.Equal(3, quality.Interruptions);
        Assert.Equal(2, quality.FalseInterruptions);
        Assert.Equal(4, quality.InputFramesDropped);
        Assert.Equal(6, quality.ClientMessagesRejected);
        Assert.Equal("limit", quality.EndReason);
        Assert.Equal("limit", quality.EndCategory);

        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);
        Assert.Equal(1, group.Sessions); // one session, two connections
        Assert.Equal(2, group.Connections);
        Assert.Equal(50_000, group.ConnectionDurationMs);
    }
}
