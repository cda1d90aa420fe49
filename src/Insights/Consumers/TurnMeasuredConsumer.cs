using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Insights.Ingest;

namespace VoicePlatform.Insights.Consumers;

public sealed class TurnMeasuredConsumer(TurnIngest ingest, ILogger<TurnMeasuredConsumer> logger) : IConsumer<TurnMeasured>
{
    public async Task Consume(ConsumeContext<TurnMeasured> context)
    {
        var message = context.Message;
        if (!await ingest.RecordAsync(message, context.CancellationToken))
            logger.LogDebug("TurnMeasured {EventId} for {SessionId} not applied: already applied (redelivery), superseded, or another tenant's session", message.EventId, message.SessionId);
    }
}
