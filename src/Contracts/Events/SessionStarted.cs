namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router when a realtime session starts on a provider. <paramref name="Model"/> is the catalog model
/// that answered (after any connect-time fallback). When the client connected with a route (a tenant's virtual model
/// name), <paramref name="Route"/> names it; when a running experiment placed the session, <paramref name="ExperimentId"/>
/// names it and <paramref name="ExperimentArm"/> is its arm (<c>holdout</c> for subjects outside its traffic).
/// <paramref name="ClientProtocol"/> is what the client speaks (e.g. <c>openai-realtime</c>).
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
    DateTimeOffset StartedAt,
    string? Route = null,
    string? ExperimentId = null);
