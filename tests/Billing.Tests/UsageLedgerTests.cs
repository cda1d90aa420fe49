using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Events;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>UsageRecorded on the real bus → priced rows in the real ledger (PostgreSQL), exactly.</summary>
[Collection(BillingCollection.Name)]
public class UsageLedgerTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly LedgerProbe _ledger = new(fixture);

    [Fact]
    public async Task A_usage_event_is_priced_exactly_at_the_catalog_rates()
    {
        // Every direction × modality, with counts whose cost double arithmetic gets wrong (102.94963609999999).
        var usage = UsageEvent(Guid.NewGuid(), "sess_exact", "gpt-realtime-2", Noon,
            inputAudio: 1_234_567, cachedInputAudio: 333_333, inputText: 7_777, cachedInputText: 101,
            inputImage: 3, cachedInputImage: 7, outputAudio: 987_654, outputText: 4_321);

        await _ledger.PublishAsync(usage);
        var row = await _ledger.WaitForRowAsync(usage.EventId);

        // 1,234,567×32 + 333,333×0.40 + 7,777×4 + 101×0.40 + 3×5 + 7×0.50 + 987,654×64 + 4,321×16, per 1M tokens.
        Assert.Equal(102.9496361m, row.CostUsd);
        Assert.Equal("2025-01-01", row.PriceVersion);
        var asDouble = (1_234_567 * 32.0 + 333_333 * 0.40 + 7_777 * 4.0 + 101 * 0.40 + 3 * 5.0 + 7 * 0.50 + 987_654 * 64.0 + 4_321 * 16.0) / 1e6;
        Assert.NotEqual(102.9496361, asDouble); // the check above would catch floating point

        var session = await fixture.Usage.GetSessionCostAsync(new() { TenantId = usage.TenantId.ToString(), SessionId = "sess_exact" });
        Assert.Equal("102.9496361", session.CostUsd);
    }

    [Fact]
    public async Task Gemini_audio_output_is_billed_at_the_audio_rate_not_the_text_rate()
    {
        var usage = UsageEvent(Guid.NewGuid(), "sess_gemini", "gemini-3.1-flash-live", Noon,
            inputAudio: 1_000_001, inputText: 3, outputAudio: 777, outputText: 11);

        await _ledger.PublishAsync(usage);
        var row = await _ledger.WaitForRowAsync(usage.EventId);

        // 1,000,001×3.00 + 3×0.50 + 777×12.00 + 11×2.00 per 1M tokens.
        Assert.Equal(3.0093505m, row.CostUsd);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_billed_once()
    {
        var usage = UsageEvent(Guid.NewGuid(), "sess_dup", "gpt-realtime-2", Noon, inputAudio: 1_000, outputAudio: 2_000);
        var observer = new DeliveryObserver<UsageRecorded>(u => u.EventId == usage.EventId);
        using var _ = fixture.Factory.Services.GetRequiredService<IBus>().ConnectConsumeObserver(observer);

        await _ledger.PublishAsync(usage);
        await _ledger.WaitForRowAsync(usage.EventId);
        await _ledger.PublishAsync(usage); // a replay: same event id

        // Both deliveries succeeded (a duplicate is not a failure to retry and dead-letter), one row, billed once.
        await observer.WaitForConsumedAsync(2, TimeSpan.FromSeconds(20));
        Assert.Empty(observer.Faults);
        Assert.Equal(1, await _ledger.CountRowsAsync(usage.TenantId));
        var session = await fixture.Usage.GetSessionCostAsync(new() { TenantId = usage.TenantId.ToString(), SessionId = "sess_dup" });
        Assert.Equal("0.16", session.CostUsd); // (1,000×32 + 2,000×64) / 1M
        Assert.Equal(1, session.Events);
    }

    [Fact]
    public async Task A_price_version_with_a_future_effective_date_prices_later_usage_only()
    {
        var tenant = Guid.NewGuid();
        var justBefore = TestPriceCatalog.FutureEffectiveFrom.AddMilliseconds(-1);
        var before = UsageEvent(tenant, "sess_price", "gpt-realtime-2", justBefore, inputAudio: 1_000, outputAudio: 1_000);
        var from = UsageEvent(tenant, "sess_price", "gpt-realtime-2", TestPriceCatalog.FutureEffectiveFrom, inputAudio: 1_000, outputAudio: 1_000);
        // Recorded after the new version is known (it is in the catalog now) and still priced at the old one.
        var today = UsageEvent(tenant, "sess_today", "gpt-realtime-2", DateTimeOffset.UtcNow, inputAudio: 1_000, outputAudio: 1_000);

        // The shipped catalog's own versions (e.g. a correction) are in effect before the test's future one.
        var shipped = PriceCatalogFile.LoadEmbedded();
        string ShippedVersionAt(DateTimeOffset at) => shipped.Find("gpt-realtime-2", at)!.Version;

        await _ledger.RecordAsync(before, from, today);

        Assert.Equal(new LedgerRow(0.096m, ShippedVersionAt(justBefore)), await _ledger.FindRowAsync(before.EventId)); // (32 + 64) × 1,000 / 1M
        Assert.Equal(new LedgerRow(0.12m, TestPriceCatalog.FutureVersion), await _ledger.FindRowAsync(from.EventId)); // (40 + 80) × 1,000 / 1M
        Assert.Equal(new LedgerRow(0.096m, ShippedVersionAt(today.OccurredAt)), await _ledger.FindRowAsync(today.EventId));
        Assert.NotEqual(TestPriceCatalog.FutureVersion, ShippedVersionAt(justBefore));
    }

    [Fact]
    public async Task The_ledger_is_append_only()
    {
        var usage = UsageEvent(Guid.NewGuid(), "sess_append", "gpt-realtime-2", Noon, inputAudio: 10);
        await _ledger.RecordAsync(usage);

        Assert.Contains("append-only", await _ledger.TryUpdateAsync(usage.EventId));
    }

    [Fact]
    public async Task Usage_of_a_model_the_catalog_does_not_price_is_not_billed_and_not_retried_as_transient()
    {
        var usage = UsageEvent(Guid.NewGuid(), "sess_unknown", "no-such-model", Noon, inputAudio: 10);
        var observer = new DeliveryObserver<UsageRecorded>(u => u.EventId == usage.EventId);
        using var _ = fixture.Factory.Services.GetRequiredService<IBus>().ConnectConsumeObserver(observer);

        await _ledger.PublishAsync(usage);

        // It faults (and so is kept in billing-usage-recorded_error for an operator), never lands as a zero-cost row.
        await Poll(() => !observer.Faults.IsEmpty, TimeSpan.FromSeconds(20));
        Assert.IsType<Ledger.UnpricedUsageException>(observer.Faults.First());
        Assert.Null(await _ledger.FindRowAsync(usage.EventId));
    }

    private static async Task Poll(Func<bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
