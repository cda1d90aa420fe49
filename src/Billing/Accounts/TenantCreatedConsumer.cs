using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Accounts;

public sealed class TenantCreatedConsumer(AccountStore accounts, ILogger<TenantCreatedConsumer> logger) : IConsumer<TenantCreated>
{
    public async Task Consume(ConsumeContext<TenantCreated> context)
    {
        var message = context.Message;
        var opened = await accounts.OpenAsync(message.TenantId, message.Name, message.CreatedAt, message.EventId, context.CancellationToken);
        if (opened) logger.LogInformation("Opened billing account for tenant {TenantId}", message.TenantId);
        else logger.LogDebug("Billing account for tenant {TenantId} already open (redelivery)", message.TenantId);
    }
}
