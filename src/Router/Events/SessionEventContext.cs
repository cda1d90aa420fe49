namespace VoicePlatform.Router.Events;

/// <summary>
/// What a session's events say about it. <paramref name="CreatedAt"/> is when the session was created (the first
/// Router's start, kept across re-attaches); <paramref name="OffsetAtAttachMs"/> is the session time at which this
/// Router attached, so offsets continue the same timeline after a failover.
/// </summary>
public sealed record SessionEventContext(
    Guid TenantId,
    string SessionId,
    string Model,
    string Provider,
    string ClientProtocol,
    DateTimeOffset CreatedAt,
    long OffsetAtAttachMs);
