using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Tests;

/// <summary>Opens accounts the way production does: a TenantCreated event on the real bus, then polls GetAccount.</summary>
public sealed class AccountProbe(BillingServiceFixture fixture)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(15);

    public Task PublishAsync(TenantCreated message) => fixture.Factory.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>Announces a new tenant and waits for its account.</summary>
    public async Task<Account> OpenAsync(Guid tenantId, string tenantName)
    {
        await PublishAsync(new TenantCreated(Guid.NewGuid(), tenantId, tenantName, DateTimeOffset.UtcNow));
        return await WaitForAccountAsync(tenantId);
    }

    public async Task<Account> WaitForAccountAsync(Guid tenantId)
    {
        var deadline = DateTime.UtcNow + ConsumeTimeout;
        while (true)
        {
            try
            {
                return await fixture.Client.GetAccountAsync(new GetAccountRequest { TenantId = tenantId.ToString() });
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
