using System.Diagnostics;
using Npgsql;

namespace VoicePlatform.Gateway.Tests.Outbox;

public class OutboxTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task Tenant_creation_writes_a_TenantCreated_event_that_is_published_to_the_bus()
    {
        var (tenantId, _, _) = await context.CreateTenantWithKeyAsync("Outboxed");
        await using var connection = new NpgsqlConnection(context.PostgresConnectionString);
        await connection.OpenAsync();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT published_at IS NOT NULL FROM outbox WHERE message_type LIKE '%TenantCreated' AND payload->>'TenantId' = @tenant", connection);
            command.Parameters.AddWithValue("tenant", tenantId);
            var published = await command.ExecuteScalarAsync();
            Assert.NotNull(published); // written in the same transaction as the tenant
            if ((bool)published!) break;
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), "outbox row was not published to RabbitMQ");
            await Task.Delay(100);
        }
    }
}
