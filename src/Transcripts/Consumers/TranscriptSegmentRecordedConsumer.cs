using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Transcripts.Segments;

namespace VoicePlatform.Transcripts.Consumers;

public sealed class TranscriptSegmentRecordedConsumer(SegmentStore segments, ILogger<TranscriptSegmentRecordedConsumer> logger)
    : IConsumer<TranscriptSegmentRecorded>
{
    public async Task Consume(ConsumeContext<TranscriptSegmentRecorded> context)
    {
        var message = context.Message;
        if (message.Role is not ("user" or "assistant"))
        {
            // Not retryable: a bad event would only fail again. The _error queue keeps it for inspection.
            throw new InvalidOperationException($"Segment {message.SegmentId} has unknown role '{message.Role}'");
        }
        switch (await segments.RecordAsync(message, context.CancellationToken))
        {
            case SegmentOutcome.Duplicate:
                logger.LogDebug("Segment {SegmentId} of {SessionId} already stored (redelivery)", message.SegmentId, message.SessionId);
                break;
            case SegmentOutcome.Discarded:
                logger.LogInformation("Segment {SegmentId} of {SessionId} not stored: request {RequestSeq} was answered again by a later Router attempt",
                    message.SegmentId, message.SessionId, message.RequestSeq);
                break;
        }
    }
}
