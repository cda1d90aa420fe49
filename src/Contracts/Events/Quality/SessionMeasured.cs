namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// Published by the Gateway when its part of a session ends: one client connection, so a session the client resumed
/// on another connection has one per <paramref name="ConnectionId"/> (a consumer adds them up). Times and durations
/// are on the session timeline (milliseconds since the connection opened). <paramref name="EndReason"/> is the
/// Gateway's view of the end: <c>client_closed</c>, <c>idle</c> (idle timeout), <c>limit</c> (a budget or cap),
/// <c>provider_error</c>, <c>platform_error</c> (no Router, internal error), <c>drained</c> (a Gateway shutdown asked
/// the client to resume elsewhere), <c>key_revoked</c>.
/// </summary>
/// <param name="Turns">Responses relayed.</param>
/// <param name="AudioInMs">Client audio forwarded, in milliseconds of audio.</param>
/// <param name="AudioOutMs">Assistant audio sent to the client, in milliseconds of audio.</param>
/// <param name="Interruptions">Barge-ins: user speech starting while assistant audio was playing.</param>
/// <param name="FalseInterruptions">Speech starts that ended without a committed user turn.</param>
/// <param name="ResponsesCancelled">Responses that ended with status <c>cancelled</c>.</param>
/// <param name="InputFramesDropped">Client audio appends dropped because the session's input buffer stayed full.</param>
/// <param name="ClientMessagesRejected">Client messages answered with an <c>error</c> event instead of being forwarded.</param>
public sealed record SessionMeasured(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string ConnectionId,
    QualityDimensions Dimensions,
    DateTimeOffset OpenedAt,
    long DurationMs,
    int Turns,
    long AudioInMs,
    long AudioOutMs,
    int Interruptions,
    int FalseInterruptions,
    int ResponsesCancelled,
    int InputFramesDropped,
    int ClientMessagesRejected,
    string EndReason);
