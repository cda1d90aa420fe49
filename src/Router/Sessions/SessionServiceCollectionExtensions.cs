using Microsoft.Extensions.DependencyInjection.Extensions;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Grpc;

namespace VoicePlatform.Router.Sessions;

public static class SessionServiceCollectionExtensions
{
    /// <summary>The session relay; provider connectors are registered separately (one call per provider).</summary>
    public static WebApplicationBuilder AddRealtimeSessions(this WebApplicationBuilder builder)
    {
        builder.AddModelCatalog();
        builder.Services.TryAddSingleton(TimeProvider.System); // sessions read time through it (tests pass a fake one)
        builder.Services.AddSingleton<SessionMetrics>();
        builder.Services.AddSingleton<SessionOutputChain>();
        builder.Services.AddSingleton<SessionRelay>();
        // The session stream carries whole client events (up to 15 MiB) and provider events: lift gRPC's 4 MB default.
        builder.Services.AddGrpc().AddServiceOptions<RealtimeRouterService>(o =>
        {
            o.MaxReceiveMessageSize = SessionStreamLimits.MaxStreamMessageBytes;
            o.MaxSendMessageSize = SessionStreamLimits.MaxStreamMessageBytes;
        });
        return builder;
    }
}
