using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Transcripts.Recordings;

namespace VoicePlatform.Transcripts.Consumers;

public sealed class RecordingStoredConsumer(RecordingMetadataStore recordings, ILogger<RecordingStoredConsumer> logger) : IConsumer<RecordingStored>
{
    public async Task Consume(ConsumeContext<RecordingStored> context)
    {
        var message = context.Message;
        if (!await recordings.RecordAsync(message, context.CancellationToken))
            logger.LogDebug("Recording {Key} of {SessionId} already stored (redelivery)", message.Key, message.SessionId);
    }
}
