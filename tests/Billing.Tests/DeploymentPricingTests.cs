using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>A catalog deployment (a model served through another provider instance) is billed as the model it serves.</summary>
[Collection(BillingCollection.Name)]
public class DeploymentPricingTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Usage_on_a_deployment_is_priced_with_the_served_model_s_prices_and_version()
    {
        var ledger = new LedgerProbe(fixture);
        var onAzure = UsageEvent(Guid.NewGuid(), $"sess_{Guid.NewGuid():N}", BillingServiceFixture.DeploymentId, Noon, inputAudio: 1_000, outputAudio: 2_000);
        var direct = UsageEvent(Guid.NewGuid(), $"sess_{Guid.NewGuid():N}", "gpt-realtime-2.1", Noon, inputAudio: 1_000, outputAudio: 2_000);

        await ledger.RecordAsync(onAzure, direct);

        var azureRow = await ledger.WaitForRowAsync(onAzure.EventId);
        Assert.Equal(0.16m, azureRow.CostUsd); // (1,000×32 + 2,000×64) / 1M, gpt-realtime-2.1's audio prices
        Assert.Equal(await ledger.WaitForRowAsync(direct.EventId), azureRow);
    }
}
