using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.SessionLimits;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// What bounds one client session beyond the protocol limits: its tenant's budget (watched by
/// <see cref="LiveSessionLimits"/>), its API key (the session ends when <see cref="KeyId"/> is revoked, see
/// <see cref="LiveKeySessions"/>), its idle timeout (on <see cref="Clock"/>) and, for a session started with an
/// ephemeral key, that key's caps and pinned configuration (the first <c>session.update</c>, applied before the client
/// sees <c>session.created</c>).
/// </summary>
public sealed record ClientSessionLimits(
    Guid TenantId,
    LiveSessionLimits Watch,
    string KeyId,
    LiveKeySessions KeySessions,
    TimeProvider Clock,
    TimeSpan? MaxDuration = null,
    decimal? MaxSpendUsd = null,
    string? PinnedSessionJson = null);
