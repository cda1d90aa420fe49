using MassTransit;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Events;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// Prices each <see cref="UsageRecorded"/> with the catalog version in effect at its time and appends it to the
/// ledger. Idempotent by event id: a redelivered or replayed event is a success that bills nothing.
/// Then publishes <see cref="UsagePriced"/> (what Insights sums into session cost) through the consume context, also on
/// a redelivery: a publish that failed after the ledger write fails the delivery, and the redelivery publishes again
/// with the same derived id, which consumers count once.
/// </summary>
public sealed class UsageRecordedConsumer(PriceCatalog catalog, ModelDirectory models, UsageLedger ledger, LedgerMetrics metrics,
    ILogger<UsageRecordedConsumer> logger)
    : IConsumer<UsageRecorded>
{
    public async Task Consume(ConsumeContext<UsageRecorded> context)
    {
        var usage = context.Message;
        // A deployment (an Azure or Vertex instance of a catalog model) is billed as the model it serves.
        var pricedAs = models.TryResolve(usage.Model, out var model) ? model.PricedAs : usage.Model;
        var price = catalog.Find(pricedAs, usage.OccurredAt)
            ?? throw new UnpricedUsageException($"No price for model '{usage.Model}' at {usage.OccurredAt:O} (usage event {usage.EventId})");
        var cost = UsageCost.Compute(usage, price);
        switch (await ledger.AppendAsync(usage, price, cost, context.CancellationToken))
        {
            case LedgerOutcome.Appended:
                metrics.Billed(usage.Model, usage.Provider, cost);
                logger.LogDebug("Billed usage {EventId} of session {SessionId}: {Cost} USD ({Model}@{Version})",
                    usage.EventId, usage.SessionId, cost, usage.Model, price.Version);
                break;
            case LedgerOutcome.Duplicate:
                logger.LogDebug("Usage {EventId} already billed (redelivery)", usage.EventId);
                break;
            case LedgerOutcome.Discarded:
                // A later Router attempt answered the request again: the client never saw this response.
                logger.LogInformation("Usage {EventId} of session {SessionId} not billed: request {RequestSeq} was answered again by a later Router attempt",
                    usage.EventId, usage.SessionId, usage.RequestSeq);
                return;
        }
        await context.Publish(new UsagePriced(EventIds.For("usage-priced", usage.EventId.ToString()), usage.TenantId, usage.SessionId, cost, usage.OccurredAt),
            context.CancellationToken);
    }
}
