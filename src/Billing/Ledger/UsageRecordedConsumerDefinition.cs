using MassTransit;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// Retries for the ledger consumer, on top of the bus-wide quick retries: a database restart or failover takes longer
/// than those, and an event must never be lost to one. While retrying, the message stays unacknowledged in RabbitMQ
/// (a crash redelivers it); after the last attempt it lands in <c>billing-usage-recorded_error</c>, kept, not dropped.
/// An unpriced event is not retried here (it cannot succeed until the catalog changes).
/// </summary>
public sealed class UsageRecordedConsumerDefinition : ConsumerDefinition<UsageRecordedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<UsageRecordedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<UnpricedUsageException>();
            retry.Intervals(DatabaseOutageRetryIntervals);
        });
    }

    /// <summary>Long enough to ride out a database restart or failover (about 9 minutes in all).</summary>
    internal static readonly TimeSpan[] DatabaseOutageRetryIntervals =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
    ];
}
