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

    public override Task RunSession(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream,
        ServerCallContext context) =>
        relay.RunAsync(requestStream, responseStream, context.CancellationToken);
}
