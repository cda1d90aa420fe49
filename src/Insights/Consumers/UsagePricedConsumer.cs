using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class UsagePricedConsumer(SessionEventIngest ingest, ILogger<UsagePricedConsumer> logger) : IConsumer<UsagePriced>
{
    public async Task Consume(ConsumeContext<UsagePriced> context)
    {
        var message = context.Message;
        if (!await ingest.RecordCostAsync(message, context.CancellationToken))
            logger.LogDebug("UsagePriced {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
