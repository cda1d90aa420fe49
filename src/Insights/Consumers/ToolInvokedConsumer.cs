using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class ToolInvokedConsumer(ToolCallIngest ingest, ILogger<ToolInvokedConsumer> logger) : IConsumer<ToolInvoked>
{
    public async Task Consume(ConsumeContext<ToolInvoked> context)
    {
        var message = context.Message;
        if (!await ingest.RecordServerCallAsync(message, context.CancellationToken))
            logger.LogDebug("ToolInvoked {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
