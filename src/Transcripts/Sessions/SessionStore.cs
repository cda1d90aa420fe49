using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Sessions;

/// <summary>
/// Recorded sessions: written from SessionStarted / SessionEnded (either may arrive first, each applied once), listed
/// newest first with keyset pagination (the cursor is the last row's start time and id, so filters keep it stable).
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 100;

    private const string Columns = "session_id, model, provider, started_at, ended_at, end_reason, experiment_arm, client_protocol, duration_ms, "
        + "EXISTS (SELECT 1 FROM recordings r WHERE r.tenant_id = sessions.tenant_id AND r.session_id = sessions.session_id), "
        + "route, experiment_id";

    /// <returns>false when the event was already applied (redelivery) or the session id belongs to another tenant.</returns>
    public async Task<bool> RecordStartedAsync(SessionStarted started, CancellationToken cancellationToken)
    {
        // A row opened by an earlier SessionEnded is completed; one already started is left alone.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sessions (session_id, tenant_id, model, provider, started_at, route, experiment_id, experiment_arm, client_protocol, started_event_id)
            VALUES (@session, @tenant, @model, @provider, @started, @route, @experiment, @arm, @protocol, @event)
            ON CONFLICT (session_id) DO UPDATE SET
                model = EXCLUDED.model, provider = EXCLUDED.provider, started_at = EXCLUDED.started_at,
                route = EXCLUDED.route, experiment_id = EXCLUDED.experiment_id,
                experiment_arm = EXCLUDED.experiment_arm, client_protocol = EXCLUDED.client_protocol,
                started_event_id = EXCLUDED.started_event_id
            WHERE sessions.started_event_id IS NULL AND sessions.tenant_id = EXCLUDED.tenant_id
            """);
        command.Parameters.AddWithValue("session", started.SessionId);
        command.Parameters.AddWithValue("tenant", started.TenantId);
        command.Parameters.AddWithValue("model", started.Model);
        command.Parameters.AddWithValue("provider", started.Provider);
        command.Parameters.AddWithValue("started", started.StartedAt);
        command.Parameters.Add(new NpgsqlParameter<string?>("route", NullIfEmpty(started.Route)));
        command.Parameters.Add(new NpgsqlParameter<string?>("experiment", NullIfEmpty(started.ExperimentId)));
        command.Parameters.Add(new NpgsqlParameter<string?>("arm", NullIfEmpty(started.ExperimentArm)));
        command.Parameters.AddWithValue("protocol", started.ClientProtocol);
        command.Parameters.AddWithValue("event", started.EventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>false when the event was already applied (redelivery) or the session id belongs to another tenant.</returns>
    public async Task<bool> RecordEndedAsync(SessionEnded ended, CancellationToken cancellationToken)
    {
        // Ended before started (delivery order is not guaranteed): open the row with the start the duration implies;
        // SessionStarted fills in the rest when it arrives.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sessions (session_id, tenant_id, model, provider, started_at, ended_at, end_reason, duration_ms, ended_event_id)
            VALUES (@session, @tenant, '', '', @ended - make_interval(secs => @duration / 1000.0), @ended, @reason, @duration, @event)
            ON CONFLICT (session_id) DO UPDATE SET
                ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason,
                duration_ms = EXCLUDED.duration_ms, ended_event_id = EXCLUDED.ended_event_id
            WHERE sessions.tenant_id = EXCLUDED.tenant_id
              AND (sessions.ended_event_id IS NULL
                   -- A client that resumed after a drop ends the session again later: the latest end is the real one.
                   OR (sessions.ended_event_id <> EXCLUDED.ended_event_id AND sessions.ended_at < EXCLUDED.ended_at))
            """);
        command.Parameters.AddWithValue("session", ended.SessionId);
        command.Parameters.AddWithValue("tenant", ended.TenantId);
        command.Parameters.AddWithValue("ended", ended.EndedAt);
        command.Parameters.AddWithValue("reason", ended.EndReason);
        command.Parameters.AddWithValue("duration", ended.DurationMs);
        command.Parameters.AddWithValue("event", ended.EventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<SessionSummary?> GetAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sessions WHERE tenant_id = @tenant AND session_id = @session");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<ListSessionsResponse> ListAsync(Guid tenantId, ListSessionsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = request.PageSize <= 0 ? 20 : Math.Min(request.PageSize, MaxPageSize);
        var (afterStarted, afterId) = SessionCursor.Decode(request.Cursor);
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM sessions
            WHERE tenant_id = @tenant AND (@after_started::timestamptz IS NULL OR (started_at, session_id) < (@after_started, @after_id))
              AND (@from::timestamptz IS NULL OR started_at >= @from)
              AND (@to::timestamptz IS NULL OR started_at < @to)
              AND (@model = '' OR model = @model)
              AND (@provider = '' OR provider = @provider)
              AND (@end_reason = '' OR end_reason = @end_reason)
              AND (@route = '' OR route = @route)
              AND (@experiment = '' OR experiment_id = @experiment)
              AND (@arm = '' OR experiment_arm = @arm)
            ORDER BY started_at DESC, session_id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("after_started", afterStarted));
        command.Parameters.AddWithValue("after_id", afterId ?? "");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("from", FromUnixMs(request.FromUnixMs)));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("to", FromUnixMs(request.ToUnixMs)));
        command.Parameters.AddWithValue("model", request.Model);
        command.Parameters.AddWithValue("provider", request.Provider);
        command.Parameters.AddWithValue("end_reason", request.EndReason);
        command.Parameters.AddWithValue("route", request.Route);
        command.Parameters.AddWithValue("experiment", request.ExperimentId);
        command.Parameters.AddWithValue("arm", request.ExperimentArm);
        command.Parameters.AddWithValue("limit", pageSize + 1);

        var response = new ListSessionsResponse();
        DateTimeOffset lastStarted = default;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (response.Sessions.Count == pageSize)
            {
                response.NextCursor = SessionCursor.Encode(lastStarted, response.Sessions[^1].SessionId);
                break;
            }
            // The cursor keeps full precision (microseconds), not the summary's milliseconds.
            lastStarted = reader.GetFieldValue<DateTimeOffset>(3);
            response.Sessions.Add(Read(reader));
        }
        return response;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTimeOffset? FromUnixMs(long unixMs) => unixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static SessionSummary Read(NpgsqlDataReader reader) => new()
    {
        SessionId = reader.GetString(0),
        Model = reader.GetString(1),
        Provider = reader.GetString(2),
        StartedAtUnixMs = reader.GetFieldValue<DateTimeOffset>(3).ToUnixTimeMilliseconds(),
        EndedAtUnixMs = reader.IsDBNull(4) ? 0 : reader.GetFieldValue<DateTimeOffset>(4).ToUnixTimeMilliseconds(),
        EndReason = reader.IsDBNull(5) ? "" : reader.GetString(5),
        ExperimentArm = reader.IsDBNull(6) ? "" : reader.GetString(6),
        ClientProtocol = reader.IsDBNull(7) ? "" : reader.GetString(7),
        DurationMs = reader.IsDBNull(8) ? 0 : reader.GetInt64(8),
        HasRecording = reader.GetBoolean(9),
        Route = reader.IsDBNull(10) ? "" : reader.GetString(10),
        ExperimentId = reader.IsDBNull(11) ? "" : reader.GetString(11),
    };
}
