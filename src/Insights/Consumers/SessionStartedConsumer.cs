using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class SessionStartedConsumer(SessionEventIngest ingest, ILogger<SessionStartedConsumer> logger) : IConsumer<SessionStarted>
{
    public async Task Consume(ConsumeContext<SessionStarted> context)
    {
        var message = context.Message;
        if (!await ingest.RecordStartedAsync(message, context.CancellationToken))
            logger.LogDebug("SessionStarted {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
