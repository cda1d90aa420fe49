using Grpc.Core;

namespace VoicePlatform.Tools.Grpc;

public static class TenantIdParser
{
    /// <summary>The request's tenant id, or INVALID_ARGUMENT.</summary>
    public static Guid Parse(string tenantId) =>
        Guid.TryParse(tenantId, out var id) ? id : throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID"));
}
