using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Billing.Tests.SessionRouting;

/// <summary>Publishes SessionStarted on the real bus as the Router does and reads Billing's session_routing table directly.</summary>
public sealed class SessionRoutingProbe(BillingServiceFixture fixture)
{
    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromSeconds(20);

    public static SessionStarted Started(Guid tenant, string session, string? experimentId, string? arm, string? route = "support-voice",
        string model = "gpt-realtime-2", DateTimeOffset? startedAt = null) =>
        new(Guid.NewGuid(), tenant, session, model, model.StartsWith("gemini", StringComparison.Ordinal) ? "google" : "openai", arm,
            "openai-realtime", startedAt ?? new DateTimeOffset(2026, 10, 15, 9, 0, 0, TimeSpan.Zero), route, experimentId);

    public Task PublishAsync(SessionStarted started) => fixture.Factory.Services.GetRequiredService<IBus>().Publish(started);

    /// <summary>Publishes the events and waits until each session has its routing row.</summary>
    public async Task RecordAsync(params SessionStarted[] events)
    {
        foreach (var started in events) await PublishAsync(started);
        foreach (var started in events)
        {
            var row = await Poll.UntilAsync(() => FindAsync(started.TenantId, started.SessionId), r => r is not null, ConsumeTimeout);
            Assert.True(row is not null, $"SessionStarted of {started.SessionId} never reached session_routing");
        }
    }

    public async Task<RoutingRow?> FindAsync(Guid tenant, string session)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT route, experiment_id, experiment_arm, model, event_id FROM session_routing WHERE tenant_id = @tenant AND session_id = @session
            """, connection);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("session", session);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new RoutingRow(
            reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetGuid(4));
    }

    public async Task<long> CountAsync(Guid tenant)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM session_routing WHERE tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

public sealed record RoutingRow(string? Route, string? ExperimentId, string? ExperimentArm, string Model, Guid EventId);
