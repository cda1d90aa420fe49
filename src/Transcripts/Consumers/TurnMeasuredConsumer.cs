using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Transcripts.Segments;

namespace VoicePlatform.Transcripts.Consumers;

/// <summary>Keeps when each assistant item played to the client, so its transcript cue spans the audio the caller heard.</summary>
public sealed class TurnMeasuredConsumer(ItemPlaybackStore playback) : IConsumer<TurnMeasured>
{
    public Task Consume(ConsumeContext<TurnMeasured> context) => playback.RecordAsync(context.Message, context.CancellationToken);
}
