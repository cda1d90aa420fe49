using MassTransit;
using VoicePlatform.Billing.Ledger;

namespace VoicePlatform.Billing.SessionRouting;

/// <summary>
/// The ledger's long retries for SessionStarted too: a session whose routing is lost would be missing from its arm's
/// usage for good. After the last attempt the event lands in <c>billing-session-started_error</c>, kept, not dropped.
/// </summary>
public sealed class SessionStartedConsumerDefinition : ConsumerDefinition<SessionStartedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SessionStartedConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(retry => retry.Intervals(UsageRecordedConsumerDefinition.DatabaseOutageRetryIntervals));
}
