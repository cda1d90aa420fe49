using MassTransit;

namespace VoicePlatform.Billing.Ledger;

/// <summary>Voiding usage rides out a database outage like billing it does (<see cref="UsageRecordedConsumerDefinition"/>).</summary>
public sealed class ResponsesDiscardedConsumerDefinition : ConsumerDefinition<ResponsesDiscardedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ResponsesDiscardedConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(retry => retry.Intervals(UsageRecordedConsumerDefinition.DatabaseOutageRetryIntervals));
}
