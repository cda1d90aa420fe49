using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Contracts.Events;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// A Router that took a session over voids what an earlier attempt recorded for a request it answers again
/// (<see cref="ResponsesDiscarded"/>): the usage is reversed in the append-only ledger, once however often the discard
/// is delivered, and usage of the discarded attempt that arrives after the discard is not billed at all.
/// </summary>
[Collection(BillingCollection.Name)]
public class DiscardedResponsesTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly LedgerProbe _ledger = new(fixture);
    private IBus Bus => fixture.Factory.Services.GetRequiredService<IBus>();

    private static ResponsesDiscarded Discard(Guid tenant, string session, long keepAttempt, params long[] seqs) =>
        new(Guid.NewGuid(), tenant, session, seqs, keepAttempt, Noon);

    [Fact]
    public async Task A_discard_after_the_usage_reverses_it_once_and_the_session_bills_only_what_the_client_saw()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var answered = UsageEvent(tenant, session, "gpt-realtime-2", Noon, inputAudio: 1_000, outputAudio: 500) with { RequestSeq = 3, Attempt = 1 };
        var unseen = UsageEvent(tenant, session, "gpt-realtime-2", Noon, inputAudio: 1_000, outputAudio: 2_000) with { RequestSeq = 7, Attempt = 1 };
        await _ledger.RecordAsync(answered, unseen);

        var priced = Channel.CreateUnbounded<UsagePriced>();
        var endpoint = Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, e =>
            e.Handler<UsagePriced>(async context =>
            {
                if (context.Message.SessionId == session && context.Message.CostUsd < 0) await priced.Writer.WriteAsync(context.Message);
            }));
        await endpoint.Ready;
        using var reversedMetric = new MetricCollector<double>(fixture.Factory.Services.GetRequiredService<IMeterFactory>(),
            LedgerMetrics.MeterName, "voiceplatform.billing.reversed_cost_usd");
        try
        {
            var discard = Discard(tenant, session, 2, 7);
            var observer = new DeliveryObserver<ResponsesDiscarded>(d => d.SessionId == session);
            using var observing = Bus.ConnectConsumeObserver(observer);
            await Bus.Publish(discard);
            await Bus.Publish(discard); // redelivered
            await observer.WaitForConsumedAsync(2, Patience);
            Assert.Empty(observer.Faults);

            var reversal = await _ledger.FindRowAsync(UsageVoids.ReversalId(unseen.EventId));
            Assert.NotNull(reversal);
            Assert.Equal(-(await _ledger.FindRowAsync(unseen.EventId))!.CostUsd, reversal.CostUsd);
            Assert.Equal(3, await _ledger.CountRowsAsync(tenant)); // two usages, one reversal: appended, never changed

            // What Insights sums: the negated cost, under an id derived from the reversal (the same on each delivery).
            using var timeout = new CancellationTokenSource(Patience);
            var negative = await priced.Reader.ReadAsync(timeout.Token);
            Assert.Equal(EventIds.For("usage-priced", UsageVoids.ReversalId(unseen.EventId).ToString()), negative.EventId);
            Assert.Equal(reversal.CostUsd, negative.CostUsd);

            // Operators' dashboards net it out too: the reversed cost is counted once, although the discard came twice.
            var reversed = Assert.Single(reversedMetric.GetMeasurementSnapshot(), m => m.Value != 0); // 0: the series' initialisation
            Assert.Equal((double)-reversal.CostUsd, reversed.Value, 9);
            Assert.Equal("gpt-realtime-2", reversed.Tags["model"]);

            // The new attempt's answer to the same request is billed.
            var kept = UsageEvent(tenant, session, "gpt-realtime-2", Noon, inputAudio: 1_000, outputAudio: 1_500) with { RequestSeq = 7, Attempt = 2 };
            await _ledger.RecordAsync(kept);
            var cost = await fixture.Usage.GetSessionCostAsync(new() { TenantId = tenant.ToString(), SessionId = session });
            Assert.Equal(2, cost.Events);
            Assert.Equal(2_000, cost.Tokens.OutputAudio);
            Assert.Equal("0.192", cost.CostUsd); // (1,000×32 + 500×64 + 1,000×32 + 1,500×64) / 1M
        }
        finally
        {
            await endpoint.StopAsync();
        }
    }

    [Fact]
    public async Task Usage_of_a_discarded_attempt_arriving_after_the_discard_is_not_billed_whatever_the_order_of_discards()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var discards = new DeliveryObserver<ResponsesDiscarded>(d => d.SessionId == session);
        var usages = new DeliveryObserver<UsageRecorded>(u => u.SessionId == session);
        using var observingDiscards = Bus.ConnectConsumeObserver(discards);
        using var observingUsages = Bus.ConnectConsumeObserver(usages);

        // Two takeovers; the later discard (keep 3) is delivered before the earlier one (keep 2).
        await Bus.Publish(Discard(tenant, session, 3, 4));
        await Bus.Publish(Discard(tenant, session, 2, 4));
        await discards.WaitForConsumedAsync(2, Patience);

        var first = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 100) with { RequestSeq = 4, Attempt = 1 };
        var second = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 200) with { RequestSeq = 4, Attempt = 2 };
        var third = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 300) with { RequestSeq = 4, Attempt = 3 };
        await Bus.Publish(first);
        await Bus.Publish(second);
        await Bus.Publish(third);
        await usages.WaitForConsumedAsync(3, Patience);
        Assert.Empty(usages.Faults);

        Assert.Null(await _ledger.FindRowAsync(first.EventId));
        Assert.Null(await _ledger.FindRowAsync(second.EventId));
        Assert.NotNull(await _ledger.FindRowAsync(third.EventId));
        Assert.Equal(1, await _ledger.CountRowsAsync(tenant));
        var cost = await fixture.Usage.GetSessionCostAsync(new() { TenantId = tenant.ToString(), SessionId = session });
        Assert.Equal(1, cost.Events);
        Assert.Equal(300, cost.Tokens.OutputAudio);
    }

    [Fact]
    public async Task Usage_without_a_request_or_attempt_is_never_voided_by_a_request_discard()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var serverStarted = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 100) with { Attempt = 1 };
        var withoutContinuity = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 100);
        await _ledger.RecordAsync(serverStarted, withoutContinuity);

        var discards = new DeliveryObserver<ResponsesDiscarded>(d => d.SessionId == session);
        using var observing = Bus.ConnectConsumeObserver(discards);
        await Bus.Publish(Discard(tenant, session, 5, 0, 1, 2));
        await discards.WaitForConsumedAsync(1, Patience);

        Assert.Equal(2, await _ledger.CountRowsAsync(tenant));
    }

    [Fact]
    public async Task The_usage_of_a_response_the_client_saw_cut_is_reversed_once_and_not_billed_when_it_arrives_later()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        // Server VAD answered on attempt 1 (no request to re-ask by); the Router died before the client saw either end.
        var cut = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 1_000) with { EventId = EventIds.For(session, "resp_cut", "usage"), Attempt = 1 };
        var late = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 2_000) with { EventId = EventIds.For(session, "resp_late", "usage"), Attempt = 1 };
        var seen = UsageEvent(tenant, session, "gpt-realtime-2", Noon, outputAudio: 500) with { Attempt = 1 };
        await _ledger.RecordAsync(cut, seen);

        var discards = new DeliveryObserver<ResponsesDiscarded>(d => d.SessionId == session);
        using var observing = Bus.ConnectConsumeObserver(discards);
        var discard = new ResponsesDiscarded(Guid.NewGuid(), tenant, session, [], 2, Noon, ["resp_cut", "resp_late"], ["item_cut", "item_late"]);
        await Bus.Publish(discard);
        await Bus.Publish(discard); // redelivered
        await discards.WaitForConsumedAsync(2, Patience);
        Assert.Empty(discards.Faults);

        var usages = new DeliveryObserver<UsageRecorded>(u => u.SessionId == session);
        using var observingUsages = Bus.ConnectConsumeObserver(usages);
        await Bus.Publish(late);
        await usages.WaitForConsumedAsync(1, Patience);

        Assert.NotNull(await _ledger.FindRowAsync(UsageVoids.ReversalId(cut.EventId)));
        Assert.Null(await _ledger.FindRowAsync(late.EventId));
        Assert.Equal(3, await _ledger.CountRowsAsync(tenant)); // cut, its reversal, seen
        var cost = await fixture.Usage.GetSessionCostAsync(new() { TenantId = tenant.ToString(), SessionId = session });
        Assert.Equal(500, cost.Tokens.OutputAudio);
    }
}
