using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class SessionMeasuredConsumer(ConnectionIngest ingest, ILogger<SessionMeasuredConsumer> logger) : IConsumer<SessionMeasured>
{
    public async Task Consume(ConsumeContext<SessionMeasured> context)
    {
        var message = context.Message;
        if (!await ingest.RecordAsync(message, context.CancellationToken))
            logger.LogDebug("SessionMeasured {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
