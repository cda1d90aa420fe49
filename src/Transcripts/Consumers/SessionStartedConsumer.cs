using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Consumers;

public sealed class SessionStartedConsumer(SessionStore sessions, ILogger<SessionStartedConsumer> logger) : IConsumer<SessionStarted>
{
    public async Task Consume(ConsumeContext<SessionStarted> context)
    {
        var message = context.Message;
        if (!await sessions.RecordStartedAsync(message, context.CancellationToken))
            logger.LogDebug("SessionStarted {EventId} for {SessionId} already applied (redelivery)", message.EventId, message.SessionId);
    }
}
