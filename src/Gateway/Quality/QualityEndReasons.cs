using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// The Gateway's end reasons for a client connection (<see cref="Contracts.Events.Quality.SessionMeasured.EndReason"/>),
/// a small fixed set so they aggregate: see docs/insights.md.
/// </summary>
public static class QualityEndReasons
{
    public const string ClientClosed = "client_closed";
    public const string Idle = "idle";
    public const string Limit = "limit";
    public const string Expired = "expired";
    public const string KeyRevoked = "key_revoked";
    public const string Drained = "drained";
    public const string ProviderError = "provider_error";
    public const string PlatformError = "platform_error";
    public const string SessionEnded = "session_ended";
    public const string ResumedElsewhere = "resumed_elsewhere";

    /// <summary>The Router ended the session (<paramref name="kind"/>) with this close status (its reason is free text).</summary>
    public static string FromRouterEnd(SessionEndKind kind, int closeStatus) => kind switch
    {
        SessionEndKind.Superseded => ResumedElsewhere, // the client resumed the session on another connection
        _ => closeStatus switch
        {
            0 or RealtimeCloseCodes.Normal => SessionEnded,  // a normal close the platform chose (e.g. a tool ended the call)
            RealtimeCloseCodes.InternalError => ProviderError, // the provider refused, failed or closed the connection
            _ => PlatformError,
        },
    };
}
