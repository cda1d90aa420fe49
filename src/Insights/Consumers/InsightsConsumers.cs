using MassTransit;

namespace VoicePlatform.Insights.Consumers;

public static class InsightsConsumers
{
    /// <summary>
    /// The event consumers, each on its own durable queue (<c>insights-turn-measured</c>, ...): events published while
    /// the service is down wait there. Failures are retried by the bus-wide policy of AddMessageBus, then parked in the
    /// _error queue; every write is idempotent by event id, so a retry or redelivery never counts a fact twice.
    /// </summary>
    public static void AddInsightsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TurnMeasuredConsumer>();
        bus.AddConsumer<SessionMeasuredConsumer>();
        bus.AddConsumer<ToolCallMeasuredConsumer>();
        bus.AddConsumer<ContinuityEventRecordedConsumer>();
        bus.AddConsumer<ToolInvokedConsumer>();
        bus.AddConsumer<SessionStartedConsumer>();
        bus.AddConsumer<SessionEndedConsumer>();
        bus.AddConsumer<UsagePricedConsumer>();
    }
}
