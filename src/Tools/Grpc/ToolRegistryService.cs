using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Grpc;

public sealed class ToolRegistryService(ToolStore store) : ToolRegistry.ToolRegistryBase
{
    public override async Task<ListToolsResponse> ListTools(ListToolsRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.TenantId, out var tenantId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID"));
        var response = new ListToolsResponse();
        response.Tools.AddRange(BuiltInTools.All);
        response.Tools.AddRange(await store.ListAsync(tenantId, context.CancellationToken));
        return response;
    }
}
