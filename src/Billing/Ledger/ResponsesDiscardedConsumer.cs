using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// Voids the usage of re-asked requests that an earlier Router attempt recorded (the client never saw those answers)
/// and tells the bus the negated cost of each reversal (<see cref="UsagePriced"/>, id derived from the reversing row's:
/// a redelivery publishes the same ids again, which consumers count once); the reversed cost metric counts each once.
/// </summary>
public sealed class ResponsesDiscardedConsumer(UsageVoids voids, LedgerMetrics metrics, ILogger<ResponsesDiscardedConsumer> logger) : IConsumer<ResponsesDiscarded>
{
    public async Task Consume(ConsumeContext<ResponsesDiscarded> context)
    {
        var message = context.Message;
        var reversals = await voids.VoidAsync(message, context.CancellationToken);
        if (reversals.Count > 0)
            logger.LogInformation("Session {SessionId}: {Count} usage record(s) of request(s) {RequestSeqs} from attempts before {KeepAttempt} reversed",
                message.SessionId, reversals.Count, string.Join(',', message.RequestSeqs), message.KeepAttempt);
        foreach (var reversal in reversals.Where(r => r.AppendedNow)) metrics.Reversed(reversal.Model, reversal.Provider, -reversal.CostUsd);
        foreach (var reversal in reversals)
            await context.Publish(new UsagePriced(EventIds.For("usage-priced", reversal.EventId.ToString()), message.TenantId, message.SessionId,
                reversal.CostUsd, reversal.OccurredAt), context.CancellationToken);
    }
}
