using MassTransit;

namespace VoicePlatform.Transcripts.Consumers;

public static class TranscriptConsumers
{
    /// <summary>
    /// The event consumers, each on its own queue (<c>transcripts-session-started</c>, ...). Failures are retried by the
    /// bus-wide policy of AddMessageBus (5 exponential retries), then parked in the _error queue; every write is
    /// idempotent, so a retry or redelivery after a partial failure never doubles a row.
    /// </summary>
    public static void AddTranscriptConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SessionStartedConsumer>();
        bus.AddConsumer<TranscriptSegmentRecordedConsumer>();
        bus.AddConsumer<ResponsesDiscardedConsumer>(); // voids what an earlier Router attempt recorded for a re-asked request
        bus.AddConsumer<SessionEndedConsumer>();
        bus.AddConsumer<RecordingStoredConsumer>();
        bus.AddConsumer<TurnMeasuredConsumer>(); // when items were heard on the client's timeline (transcript timing)
    }
}
