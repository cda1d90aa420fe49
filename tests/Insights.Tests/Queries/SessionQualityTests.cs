using System.Globalization;
using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Queries;

[Collection(InsightsCollection.Name)]
public class SessionQualityTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task The_session_lists_its_turns_tool_calls_and_continuity_events_in_time_order()
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        await fixture.Bus.Publish(Started(tenant, session, Start));
        await fixture.Bus.Publish(Turn(tenant, session, "resp_2", Start.AddSeconds(20), ttfaMs: null, firstTextMs: 410, status: "cancelled"));
        await fixture.Bus.Publish(Turn(tenant, session, "resp_1", Start.AddSeconds(5), ttfaMs: 640, firstTextMs: 300, interrupted: true, interruptedAfterMs: 900));
        await fixture.Bus.Publish(Continuity(tenant, session, "provider_rollover", Start.AddSeconds(15), null, 35));
        await fixture.Bus.Publish(Continuity(tenant, session, "client_resume", Start.AddSeconds(12), 12_000, 1_500));

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.TurnDetails.Count == 2 && q.ContinuityEvents.Count == 2);
        Assert.Equal(["resp_1", "resp_2"], quality.TurnDetails.OrderBy(t => t.OccurredAtUnixMs).Select(t => t.ResponseId));
        var first = quality.TurnDetails.Single(t => t.ResponseId == "resp_1");
        Assert.Equal(640, first.ResponseLatencyMs);
        Assert.Equal(300, first.FirstTextLatencyMs);
        Assert.True(first.Interrupted);
        Assert.Equal(900, first.InterruptedAfterMs);
        Assert.Equal("item_resp_1", Assert.Single(first.Items).ItemId);
        var second = quality.TurnDetails.Single(t => t.ResponseId == "resp_2");
        Assert.False(second.HasResponseLatencyMs); // no audio played: no TTFA, not a zero
        Assert.Equal("cancelled", second.Status);
        Assert.Equal(["client_resume", "provider_rollover"], quality.ContinuityEvents.Select(e => e.Kind));
        Assert.Equal(12_000, quality.ContinuityEvents[0].AtMs);
        Assert.False(quality.ContinuityEvents[1].HasAtMs);
        Assert.Equal("", quality.CostUsd);
        Assert.False(quality.HasCostPerMinuteUsd);
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found()
    {
        var owner = Guid.NewGuid();
        var session = NewSession();
        await fixture.Bus.Publish(Turn(owner, session, "resp_1", Start, ttfaMs: 500));
        await InsightsProbe.SessionAsync(fixture, owner, session, q => q.TurnDetails.Count == 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetSessionQualityAsync(
            new GetSessionQualityRequest { TenantId = Guid.NewGuid().ToString(), SessionId = session }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        // An event claiming the session for another tenant changes nothing of the owner's.
        var intruder = Guid.NewGuid();
        await fixture.Bus.Publish(Turn(intruder, session, "resp_evil", Start, ttfaMs: 1));
        await fixture.Bus.Publish(Turn(owner, session, "resp_2", Start.AddSeconds(9), ttfaMs: 700));
        var quality = await InsightsProbe.SessionAsync(fixture, owner, session, q => q.TurnDetails.Count == 2);
        Assert.DoesNotContain(quality.TurnDetails, t => t.ResponseId == "resp_evil");
        Assert.Empty((await InsightsProbe.SummaryAsync(fixture, intruder)).Groups);
    }

    [Fact]
    public async Task Cost_per_minute_only_for_sessions_of_at_least_ten_seconds()
    {
        var tenant = Guid.NewGuid();
        var longer = NewSession();
        var tiny = NewSession();
        await fixture.Bus.Publish(Connection(tenant, longer, "c", Start, 90_000, turns: 1));
        await fixture.Bus.Publish(Priced(tenant, longer, 0.10m, Start.AddSeconds(30)));
        await fixture.Bus.Publish(Priced(tenant, longer, 0.05m, Start.AddSeconds(80)));
        await fixture.Bus.Publish(Connection(tenant, tiny, "c", Start, 43, turns: 0));
        await fixture.Bus.Publish(Priced(tenant, tiny, 0.001m, Start));

        var a = await InsightsProbe.SessionAsync(fixture, tenant, longer, q => q.CostUsd != "" && decimal.Parse(q.CostUsd, CultureInfo.InvariantCulture) == 0.15m && q.Connections == 1);
        Assert.Equal(0.10, a.CostPerMinuteUsd, 9); // 0.15 USD over 1.5 minutes
        var b = await InsightsProbe.SessionAsync(fixture, tenant, tiny, q => q.CostUsd != "" && q.Connections == 1);
        Assert.Equal(0.001m, decimal.Parse(b.CostUsd, CultureInfo.InvariantCulture));
        Assert.False(b.HasCostPerMinuteUsd); // 43 ms is no basis for a per-minute figure
    }
}
