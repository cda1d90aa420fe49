using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Sessions;

public static class SessionServiceCollectionExtensions
{
    /// <summary>The session relay; provider connectors are registered separately (one call per provider).</summary>
    public static WebApplicationBuilder AddRealtimeSessions(this WebApplicationBuilder builder)
    {
        builder.AddModelCatalog();
        builder.Services.AddSingleton<SessionMetrics>();
        builder.Services.AddSingleton<SessionRelay>();
        return builder;
    }
}
