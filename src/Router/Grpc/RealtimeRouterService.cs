using Grpc.Core;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Instances;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Grpc;

public sealed class RealtimeRouterService(RouterInstance instance, SessionRelay relay, IEnumerable<IProviderConnector> connectors)
    : RealtimeRouter.RealtimeRouterBase
{
    public override Task<InstanceInfo> GetInstanceInfo(GetInstanceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new InstanceInfo { InstanceId = instance.Id, ActiveSessions = instance.ActiveSessions, Providers = { connectors.Select(c => c.Provider) } });

    public override async Task RunSession(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream,
        ServerCallContext context)
    {
        // Headers at once say "this Router took the stream": the Gateway bounds that answer (RouterAnswerTimeout) and
        // tries another instance when it does not come, while the session's first event may take a provider connection.
        await context.WriteResponseHeadersAsync([]);
        await relay.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
