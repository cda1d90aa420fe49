namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router when a realtime session ends, however it ended. <paramref name="EndReason"/> is snake_case
/// (e.g. <c>client_closed</c>, <c>provider_error</c>, <c>timeout</c>). <paramref name="EventId"/> makes consumers idempotent.
/// </summary>
public sealed record SessionEnded(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    DateTimeOffset EndedAt,
    long DurationMs,
    string EndReason);
