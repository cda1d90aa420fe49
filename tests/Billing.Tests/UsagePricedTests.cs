using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Events;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// Billing tells the bus what each priced usage cost (<see cref="UsagePriced"/>, what Insights sums into session cost),
/// with an id derived from the usage event's: a redelivery publishes the same id again, so a publish lost after the
/// ledger write is made good and consumers still count it once.
/// </summary>
[Collection(BillingCollection.Name)]
public class UsagePricedTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_priced_usage_is_published_with_its_cost_and_a_derived_id_also_on_redelivery()
    {
        var usage = UsageEvent(Guid.NewGuid(), $"sess_{Guid.NewGuid():N}", "gpt-realtime-2", Noon, inputAudio: 1_000, outputAudio: 2_000);
        var received = Channel.CreateUnbounded<UsagePriced>();
        var bus = fixture.Factory.Services.GetRequiredService<IBus>();
        // A temporary queue bound to UsagePriced, as any consumer of it would be.
        var endpoint = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, e =>
            e.Handler<UsagePriced>(async context =>
            {
                if (context.Message.SessionId == usage.SessionId) await received.Writer.WriteAsync(context.Message);
            }));
        await endpoint.Ready;
        try
        {
            var ledger = new LedgerProbe(fixture);
            await ledger.PublishAsync(usage);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var first = await received.Reader.ReadAsync(timeout.Token);
            Assert.Equal(EventIds.For("usage-priced", usage.EventId.ToString()), first.EventId);
            Assert.Equal(usage.TenantId, first.TenantId);
            Assert.Equal(0.16m, first.CostUsd); // (1,000×32 + 2,000×64) / 1M
            Assert.Equal(usage.OccurredAt, first.OccurredAt);

            await ledger.PublishAsync(usage); // redelivered: billed once, announced again under the same id
            var again = await received.Reader.ReadAsync(timeout.Token);
            Assert.Equal(first, again);
            Assert.Equal(1, await ledger.CountRowsAsync(usage.TenantId));
        }
        finally
        {
            await endpoint.StopAsync();
        }
    }
}
