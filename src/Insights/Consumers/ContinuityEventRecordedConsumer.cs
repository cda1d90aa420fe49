using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class ContinuityEventRecordedConsumer(SessionEventIngest ingest, ILogger<ContinuityEventRecordedConsumer> logger) : IConsumer<ContinuityEventRecorded>
{
    public async Task Consume(ConsumeContext<ContinuityEventRecorded> context)
    {
        var message = context.Message;
        if (!await ingest.RecordContinuityAsync(message, context.CancellationToken))
            logger.LogDebug("ContinuityEventRecorded {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
