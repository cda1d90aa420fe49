using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.SessionRouting;

/// <summary>
/// Records each session's route, experiment and arm (queue <c>billing-session-started</c>) so usage can be grouped by
/// arm. Idempotent: a redelivered or duplicate SessionStarted is a success that changes nothing.
/// </summary>
public sealed class SessionStartedConsumer(SessionRoutingStore routing, ILogger<SessionStartedConsumer> logger) : IConsumer<SessionStarted>
{
    public async Task Consume(ConsumeContext<SessionStarted> context)
    {
        var started = context.Message;
        if (await routing.RecordAsync(started, context.CancellationToken))
            logger.LogDebug("Session {SessionId} routed via {Route} to experiment {ExperimentId} arm {Arm}",
                started.SessionId, started.Route, started.ExperimentId, started.ExperimentArm);
        else
            logger.LogDebug("Routing of session {SessionId} already recorded (event {EventId} redelivered or duplicated)", started.SessionId, started.EventId);
    }
}
