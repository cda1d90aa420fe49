using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Transcripts.Segments;

namespace VoicePlatform.Transcripts.Consumers;

/// <summary>Deletes the assistant segments of re-asked requests and cut responses that an earlier Router attempt recorded (the client never saw them whole).</summary>
public sealed class ResponsesDiscardedConsumer(DiscardedResponseStore discarded, ILogger<ResponsesDiscardedConsumer> logger) : IConsumer<ResponsesDiscarded>
{
    public async Task Consume(ConsumeContext<ResponsesDiscarded> context)
    {
        var message = context.Message;
        var deleted = await discarded.DiscardAsync(message, context.CancellationToken);
        if (deleted > 0)
            logger.LogInformation("Session {SessionId}: {Deleted} segment(s) of request(s) {RequestSeqs} and cut item(s) {ItemIds} from attempts before {KeepAttempt} removed",
                message.SessionId, deleted, string.Join(',', message.RequestSeqs), string.Join(',', message.ItemIds ?? []), message.KeepAttempt);
    }
}
