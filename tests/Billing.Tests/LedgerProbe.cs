using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Tests;

/// <summary>Publishes usage on the real bus and reads the ledger table directly, the way an auditor would.</summary>
public sealed class LedgerProbe(BillingServiceFixture fixture)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(20);

    public Task PublishAsync(UsageRecorded usage) => fixture.Factory.Services.GetRequiredService<IBus>().Publish(usage);

    /// <summary>Publishes the events and waits until each has its ledger row.</summary>
    public async Task RecordAsync(params UsageRecorded[] events)
    {
        foreach (var usage in events) await PublishAsync(usage);
        foreach (var usage in events) await WaitForRowAsync(usage.EventId);
    }

    public async Task<LedgerRow> WaitForRowAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow + ConsumeTimeout;
        while (true)
        {
            var row = await FindRowAsync(eventId);
            if (row is not null) return row;
            Assert.True(DateTime.UtcNow < deadline, $"Usage event {eventId} never reached the ledger");
            await Task.Delay(100);
        }
    }

    public async Task<LedgerRow?> FindRowAsync(Guid eventId)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT cost_usd, price_version FROM usage_ledger WHERE event_id = @event", connection);
        command.Parameters.AddWithValue("event", eventId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new LedgerRow(reader.GetDecimal(0), reader.GetString(1)) : null;
    }

    public async Task<long> CountRowsAsync(Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM usage_ledger WHERE tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<string> TryUpdateAsync(Guid eventId)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE usage_ledger SET cost_usd = 0 WHERE event_id = @event", connection);
        command.Parameters.AddWithValue("event", eventId);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        return error.MessageText;
    }
}

public sealed record LedgerRow(decimal CostUsd, string PriceVersion);
