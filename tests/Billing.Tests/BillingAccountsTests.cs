using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Tests;

[Collection(BillingCollection.Name)]
public class BillingAccountsTests(BillingServiceFixture fixture)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(15);

    private readonly AccountProbe _accounts = new(fixture);

    private async Task<long> CountAccountsAsync(Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM accounts WHERE tenant_id = @tenant", connection);
        count.Parameters.AddWithValue("tenant", tenantId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task TenantCreated_opens_the_tenants_account()
    {
        var tenantId = Guid.NewGuid();
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5_000);

        await _accounts.PublishAsync(new TenantCreated(Guid.NewGuid(), tenantId, "Acme Voice", createdAt));
        var account = await _accounts.WaitForAccountAsync(tenantId);

        Assert.Equal(tenantId.ToString(), account.TenantId);
        Assert.Equal("Acme Voice", account.TenantName);
        Assert.Equal("pay-as-you-go", account.Plan);
        Assert.Equal("", account.MonthlyBudgetUsd);
        Assert.Equal("hard", account.BudgetMode); // the default: a budget, once set, is a limit
        Assert.Equal(createdAt.ToUnixTimeMilliseconds(), account.OpenedAtUnixMs);
    }

    [Fact]
    public async Task Redelivered_and_repeated_TenantCreated_events_leave_exactly_one_account()
    {
        var tenantId = Guid.NewGuid();
        var first = new TenantCreated(Guid.NewGuid(), tenantId, "Globex", DateTimeOffset.UtcNow);
        var bus = fixture.Factory.Services.GetRequiredService<IBus>();
        var observer = new DeliveryObserver<TenantCreated>(created => created.TenantId == tenantId);
        using var _ = bus.ConnectConsumeObserver(observer);

        await _accounts.PublishAsync(first);
        await _accounts.WaitForAccountAsync(tenantId);
        await _accounts.PublishAsync(first); // the same event delivered again
        await _accounts.PublishAsync(first with { EventId = Guid.NewGuid(), Name = "Globex (again)" }); // a second announcement

        // All three deliveries consumed successfully: a duplicate is a success, not a failure to retry and dead-letter.
        await observer.WaitForConsumedAsync(3, ConsumeTimeout);
        Assert.Empty(observer.Faults);
        Assert.Equal(1, await CountAccountsAsync(tenantId));
        // The first event opened it; the later one did not overwrite it.
        var account = await fixture.Client.GetAccountAsync(new GetAccountRequest { TenantId = tenantId.ToString() });
        Assert.Equal("Globex", account.TenantName);
    }

    [Fact]
    public async Task GetAccount_for_an_unknown_tenant_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.GetAccountAsync(new GetAccountRequest { TenantId = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme")]
    [InlineData("00000000-0000-0000-0000-00000000000")]
    public async Task GetAccount_with_an_invalid_tenant_id_is_invalid_argument(string tenantId)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.GetAccountAsync(new GetAccountRequest { TenantId = tenantId }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
