using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class SessionEndedConsumer(SessionEventIngest ingest, ILogger<SessionEndedConsumer> logger) : IConsumer<SessionEnded>
{
    public async Task Consume(ConsumeContext<SessionEnded> context)
    {
        var message = context.Message;
        if (!await ingest.RecordEndedAsync(message, context.CancellationToken))
            logger.LogDebug("SessionEnded {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
