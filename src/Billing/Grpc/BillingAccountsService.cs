using Grpc.Core;
using VoicePlatform.Billing.Accounts;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Grpc;

public sealed class BillingAccountsService(AccountStore accounts) : BillingAccounts.BillingAccountsBase
{
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.TenantId, out var tenantId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID"));
        return await accounts.FindAsync(tenantId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No billing account for tenant {tenantId}"));
    }
}
