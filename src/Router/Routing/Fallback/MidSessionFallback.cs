using Microsoft.Extensions.Options;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// Decides whether a session may move to the next model of its chain mid-session, and opens the
/// <see cref="FallbackProviderSession"/> that does it. It needs a chain (a route with more than one step left) and the
/// session's checkpointer, which holds the conversation the next model starts from.
/// </summary>
public sealed class MidSessionFallback(ConnectFallback fallback, IOptions<ConnectFallbackOptions> options, TimeProvider time,
    ILogger<FallbackProviderSession> logger)
{
    public FallbackProviderSession? Open(IReadOnlyList<ResolvedTarget> steps, ProviderOpener open, ISessionEventSink output,
        SessionCheckpointer? checkpointer, ResponseRequests requests, Action<ResolvedTarget, ProviderFailure, TimeSpan> switched) =>
        options.Value.MidSession && steps.Count > 1 && checkpointer is not null
            ? new FallbackProviderSession(steps, open, output, checkpointer.HandOverToAnotherProvider, requests, fallback, switched, time, logger)
            : null;
}
