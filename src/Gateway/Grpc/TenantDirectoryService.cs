using Grpc.Core;
using VoicePlatform.Contracts.Gateway;
using VoicePlatform.Gateway.Tenants;

namespace VoicePlatform.Gateway.Grpc;

public sealed class TenantDirectoryService(TenantStore tenants) : TenantDirectory.TenantDirectoryBase
{
    public override async Task<Contracts.Gateway.Tenant> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.TenantId, out var id))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID"));
        var tenant = await tenants.FindAsync(id, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Tenant {id} not found"));
        return new Contracts.Gateway.Tenant
        {
            TenantId = tenant.Id.ToString(),
            Name = tenant.Name,
            CreatedAtUnixMs = tenant.CreatedAt.ToUnixTimeMilliseconds(),
        };
    }
}
