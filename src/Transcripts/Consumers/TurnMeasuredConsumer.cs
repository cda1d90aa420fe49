using MassTransit;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Transcripts.Segments;

namespace VoicePlatform.Transcripts.Consumers;

/// <summary>Keeps when each item was heard on the client's timeline, so its transcript cue spans that audio.</summary>
public sealed class TurnMeasuredConsumer(ItemTimingStore timings) : IConsumer<TurnMeasured>
{
    public Task Consume(ConsumeContext<TurnMeasured> context) => timings.RecordAsync(context.Message, context.CancellationToken);
}
