using Grpc.Core;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Instances;

namespace VoicePlatform.Router.Grpc;

public sealed class RealtimeRouterService(RouterInstance instance) : RealtimeRouter.RealtimeRouterBase
{
    public override Task<InstanceInfo> GetInstanceInfo(GetInstanceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new InstanceInfo { InstanceId = instance.Id, ActiveSessions = instance.ActiveSessions, Providers = { "openai", "google" } });
}
