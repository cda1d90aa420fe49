using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Events;

/// <summary>Opens a <see cref="SessionEventRecorder"/> around a session's sink (one per session attach).</summary>
public sealed class SessionEvents(EventSpool spool, TimeProvider time, ILogger<SessionEvents> logger)
{
    /// <summary>
    /// The recorder, or null when the session's tenant id is not a GUID (the contracts key tenants by GUID). A resumed
    /// session continues the timeline from its checkpoint's <c>created_at</c>.
    /// </summary>
    /// <param name="resumed">The session's checkpoint when it is resumed (its creation time anchors the offsets).</param>
    public SessionEventRecorder? Open(SessionStart start, CatalogModel model, ISessionEventSink inner, SessionSnapshot? resumed)
    {
        if (!Guid.TryParse(start.TenantId, out var tenant))
        {
            logger.LogWarning("Tenant id {TenantId} is not a GUID; session {SessionId} publishes no events", start.TenantId, start.SessionId);
            return null;
        }
        var now = time.GetUtcNow();
        var createdAt = now;
        if (resumed?.Field("created_at") is { } stored && DateTimeOffset.TryParse(stored, out var parsed))
            createdAt = parsed;
        else if (start.Resume)
            logger.LogDebug("No created_at for resumed session {SessionId}; offsets restart at attach", start.SessionId);
        var context = new SessionEventContext(tenant, start.SessionId, model.Id, model.Provider,
            string.IsNullOrEmpty(start.ClientProtocol) ? "openai-realtime" : start.ClientProtocol, createdAt,
            Math.Max(0, (long)(now - createdAt).TotalMilliseconds));
        return new SessionEventRecorder(inner, spool, context, time);
    }
}
