using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Consumers;

public sealed class SessionEndedConsumer(SessionStore sessions, ILogger<SessionEndedConsumer> logger) : IConsumer<SessionEnded>
{
    public async Task Consume(ConsumeContext<SessionEnded> context)
    {
        var message = context.Message;
        if (!await sessions.RecordEndedAsync(message, context.CancellationToken))
            logger.LogDebug("SessionEnded {EventId} for {SessionId} already applied (redelivery)", message.EventId, message.SessionId);
    }
}
