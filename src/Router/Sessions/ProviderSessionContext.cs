using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Sessions;

/// <summary>What a connector knows about the session it serves.</summary>
public sealed record ProviderSessionContext(string SessionId, string TenantId, string RequestedModel, CatalogModel Model)
{
    /// <summary>Where the connector records provider state a resume needs (e.g. Gemini's latest resumption handle).</summary>
    public ISessionCheckpoints Checkpoints { get; init; } = SessionCheckpoints.None;

    /// <summary>
    /// Set when the session already exists and is being re-attached (another Router died, the client reconnected):
    /// the connector rebuilds the provider side from it and emits no <c>session.created</c>.
    /// </summary>
    public SessionResumeState? Resume { get; init; }

    /// <summary>
    /// Where the connector reports what it did to keep the session alive: (kind, how long the client's side was held,
    /// detail). Kinds: <c>provider_rollover</c> (a switch before the provider's announced limit), <c>provider_reconnect</c>
    /// (a connection the provider dropped, recovered). Null when nobody listens.
    /// </summary>
    public Action<string, TimeSpan, string>? ReportContinuity { get; init; }

    /// <summary>Where the provider session reads time (its timers, deadlines and grace periods); a test passes a fake clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
