namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router when a realtime session starts on a provider. <paramref name="ExperimentArm"/> is the A/B
/// arm that chose the model, if any; <paramref name="ClientProtocol"/> is what the client speaks (e.g. <c>openai-realtime</c>).
/// <paramref name="EventId"/> makes consumers idempotent.
/// </summary>
public sealed record SessionStarted(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string Model,
    string Provider,
    string? ExperimentArm,
    string ClientProtocol,
    DateTimeOffset StartedAt);
