namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// Something the platform did to keep a session alive. <paramref name="Kind"/>: <c>provider_rollover</c> (the Router
/// moved the session to a new provider connection before the provider's limit; published by the Router),
/// <c>provider_reconnect</c> (the Router recovered a provider connection the provider dropped; published by the Router),
/// <c>router_failover</c> (the Gateway re-attached the session to another Router; duration: from the old stream
/// breaking to audio flowing again; reported when audio flows), <c>connect_fallback</c> (the route's
/// first choice failed at connect and the next one answered; <paramref name="Detail"/> names the passed-over model and
/// reason), <c>provider_fallback</c> (the provider failed for good mid-session and the session moved to the chain's next
/// model; duration: how long client input waited; <paramref name="Detail"/>: <c>from&gt;to:code</c>; published by the Router), <c>client_resume</c> (the client reconnected with its resume token; duration: the time it was away when known, else 0).
/// <paramref name="AtMs"/> is on the session timeline when known (the Gateway's events), else null.
/// </summary>
public sealed record ContinuityEventRecorded(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string Kind,
    DateTimeOffset OccurredAt,
    long? AtMs,
    long DurationMs,
    string? Detail);
