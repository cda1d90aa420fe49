using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Ingest;

/// <summary>At-least-once delivery: every event delivered several times counts once, in the facts and in the buckets.</summary>
[Collection(InsightsCollection.Name)]
public class RedeliveryTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Every_event_delivered_three_times_is_counted_once()
    {
        var tenant = Guid.NewGuid();
        var session = NewSession();
        object[] events =
        [
            Started(tenant, session, Start),
            Turn(tenant, session, "resp_1", Start.AddSeconds(5), ttfaMs: 640, firstTextMs: 300, interrupted: true, interruptedAfterMs: 900),
            Turn(tenant, session, "resp_2", Start.AddSeconds(20), ttfaMs: 720, firstTextMs: 350),
            Connection(tenant, session, "conn_1", Start, 60_000, turns: 2, interruptions: 1),
            ClientToolCall(tenant, session, "call_1", "ok", 250, Start.AddSeconds(10)),
            ServerToolCall(tenant, session, "call_2", "timeout", 5_000, Start.AddSeconds(12)),
            Continuity(tenant, session, "router_failover", Start.AddSeconds(30), 30_000, 420),
            Priced(tenant, session, 0.25m, Start.AddSeconds(59)),
            Ended(tenant, session, Start.AddSeconds(60), 60_000),
        ];
        var observer = new DeliveryObserver(m => m is UsagePriced p ? p.SessionId == session
            : m is TurnMeasured t ? t.SessionId == session : m is SessionMeasured s ? s.SessionId == session
            : m is ToolCallMeasured c ? c.SessionId == session : m is ToolInvoked i ? i.SessionId == session
            : m is ContinuityEventRecorded r ? r.SessionId == session : m is SessionStarted st ? st.SessionId == session
            : m is SessionEnded e && e.SessionId == session);
        using var _ = fixture.Bus.ConnectConsumeObserver(observer);

        for (var copy = 0; copy < 3; copy++)
            foreach (var message in events) await fixture.Bus.Publish(message, message.GetType());

        // Every copy consumed successfully (a duplicate is a success that changes nothing, not a failure to retry).
        await observer.WaitForConsumedAsync(3 * events.Length, InsightsProbe.Patience);
        Assert.Empty(observer.Faults);

        var quality = await InsightsProbe.SessionAsync(fixture, tenant, session, _ => true);
        Assert.Equal(2, quality.TurnDetails.Count);
        Assert.Equal(1, quality.Connections);
        Assert.Equal(2, quality.Turns);
        Assert.Equal(1, quality.Interruptions);
        Assert.Equal(2, quality.ToolCalls.Count);
        Assert.Single(quality.ContinuityEvents);
        Assert.Equal("0.25", quality.CostUsd);
        Assert.Equal(0.25, quality.CostPerMinuteUsd, 9);

        var summary = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);
        Assert.Equal(2, summary.Turns);
        Assert.Equal(1, summary.TurnsInterrupted);
        Assert.Equal(1, summary.Sessions);
        Assert.Equal(1, summary.Connections);
        Assert.Equal(2, summary.ToolCalls);
        Assert.Equal(1, summary.ToolFailures);
        Assert.Equal(2, summary.ResponseLatency.Count);
        Assert.Equal(2, summary.FirstTextLatency.Count);
        Assert.Equal(2, summary.ToolLatency.Count);
        SketchPrecision.AssertEquivalent(640, summary.ResponseLatency.P50Ms);
        SketchPrecision.AssertEquivalent(720, summary.ResponseLatency.P99Ms);
    }
}
