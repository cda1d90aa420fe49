using Npgsql;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.SessionRouting;

/// <summary>
/// Each session's route, experiment and arm as SessionStarted announced them. Usage is not copied here or there: the
/// usage reader joins this table at query time, so the order in which usage and SessionStarted arrive does not matter.
/// </summary>
public sealed class SessionRoutingStore(NpgsqlDataSource dataSource)
{
    /// <returns>false when the session's routing was already recorded (a redelivery or a duplicate SessionStarted).</returns>
    public async Task<bool> RecordAsync(SessionStarted started, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO session_routing (tenant_id, session_id, model, provider, route, experiment_id, experiment_arm, started_at, event_id)
            VALUES (@tenant, @session, @model, @provider, @route, @experiment, @arm, @started, @event)
            ON CONFLICT (tenant_id, session_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("tenant", started.TenantId);
        command.Parameters.AddWithValue("session", started.SessionId);
        command.Parameters.AddWithValue("model", started.Model);
        command.Parameters.AddWithValue("provider", started.Provider);
        command.Parameters.Add(new NpgsqlParameter<string?>("route", NullIfEmpty(started.Route)));
        command.Parameters.Add(new NpgsqlParameter<string?>("experiment", NullIfEmpty(started.ExperimentId)));
        command.Parameters.Add(new NpgsqlParameter<string?>("arm", NullIfEmpty(started.ExperimentArm)));
        command.Parameters.AddWithValue("started", started.StartedAt.ToUniversalTime());
        command.Parameters.AddWithValue("event", started.EventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
