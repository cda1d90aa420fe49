using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class ToolCallMeasuredConsumer(ToolCallIngest ingest, ILogger<ToolCallMeasuredConsumer> logger) : IConsumer<ToolCallMeasured>
{
    public async Task Consume(ConsumeContext<ToolCallMeasured> context)
    {
        var message = context.Message;
        if (!await ingest.RecordClientCallAsync(message, context.CancellationToken))
            logger.LogDebug("ToolCallMeasured {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
