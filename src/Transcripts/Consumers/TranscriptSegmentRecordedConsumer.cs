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
        if (!await segments.RecordAsync(message, context.CancellationToken))
            logger.LogDebug("Segment {SegmentId} of {SessionId} already stored (redelivery)", message.SegmentId, message.SessionId);
    }
}
