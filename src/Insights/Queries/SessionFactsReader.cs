using Npgsql;

namespace VoicePlatform.Insights.Queries;

/// <summary>Reads <see cref="SessionFacts"/> for the sessions a WHERE clause (over <c>s</c>, the sessions row) selects.</summary>
public static class SessionFactsReader
{
    private const string Select = """
        SELECT s.session_id, s.model, s.provider, s.route, s.experiment_id, s.experiment_arm, s.started_at,
               s.ended_at, s.end_reason, s.end_category, s.duration_ms,
               c.n, c.duration_ms, c.turns, c.audio_in_ms, c.audio_out_ms, c.interruptions, c.false_interruptions, c.responses_cancelled,
               c.input_frames_dropped, c.client_messages_rejected, c.last_reason, c.last_category, c.last_end,
               t.n, t.mean_latency, t.mean_first_text, t.interrupted,
               tc.mean_latency, tc.failure,
               cost.total
        FROM sessions s
        LEFT JOIN LATERAL (
            SELECT count(*)::int AS n, sum(duration_ms)::bigint AS duration_ms, sum(turns)::int AS turns, sum(audio_in_ms)::bigint AS audio_in_ms,
                   sum(audio_out_ms)::bigint AS audio_out_ms, sum(interruptions)::int AS interruptions,
                   sum(false_interruptions)::int AS false_interruptions, sum(responses_cancelled)::int AS responses_cancelled,
                   sum(input_frames_dropped)::int AS input_frames_dropped, sum(client_messages_rejected)::int AS client_messages_rejected,
                   (array_agg(end_reason ORDER BY opened_at + make_interval(secs => duration_ms / 1000.0) DESC))[1] AS last_reason,
                   (array_agg(end_category ORDER BY opened_at + make_interval(secs => duration_ms / 1000.0) DESC))[1] AS last_category,
                   max(opened_at + make_interval(secs => duration_ms / 1000.0)) AS last_end
            FROM connections WHERE session_id = s.session_id) c ON true
        LEFT JOIN LATERAL (
            SELECT count(*)::int AS n, avg(response_latency_ms)::float8 AS mean_latency, avg(first_text_latency_ms)::float8 AS mean_first_text,
                   COALESCE(bool_or(interrupted), false) AS interrupted
            FROM turns WHERE session_id = s.session_id) t ON true
        LEFT JOIN LATERAL (
            SELECT (avg(latency_ms) FILTER (WHERE outcome <> 'unanswered'))::float8 AS mean_latency, COALESCE(bool_or(outcome <> 'ok'), false) AS failure
            FROM (SELECT outcome, latency_ms FROM client_tool_calls WHERE session_id = s.session_id AND NOT superseded
                  UNION ALL SELECT outcome, latency_ms FROM server_tool_calls WHERE session_id = s.session_id) calls) tc ON true
        LEFT JOIN LATERAL (SELECT sum(cost_usd) AS total FROM usage_costs WHERE session_id = s.session_id) cost ON true
        """;

    public static async Task<List<SessionFacts>> ReadAsync(NpgsqlDataSource dataSource, string whereAndOrder,
        Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} {whereAndOrder}");
        parameters(command.Parameters);
        var facts = new List<SessionFacts>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) facts.Add(Read(reader));
        return facts;
    }

    private static SessionFacts Read(NpgsqlDataReader r)
    {
        var connections = r.GetInt32(11);
        var measured = connections > 0;
        return new SessionFacts
        {
            SessionId = r.GetString(0),
            Model = Str(r, 1),
            Provider = Str(r, 2),
            Route = Str(r, 3),
            ExperimentId = Str(r, 4),
            ExperimentArm = Str(r, 5),
            StartedAt = r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), // the Router's SessionStarted; unknown until it arrives
            // The Gateway's connections are the client's view; the Router's record stands in when none was measured.
            EndedAt = r.IsDBNull(7) ? (measured ? r.GetFieldValue<DateTimeOffset>(23) : null) : r.GetFieldValue<DateTimeOffset>(7),
            EndReason = measured ? Str(r, 21) : Str(r, 8),
            EndCategory = measured ? Str(r, 22) : Str(r, 9),
            DurationMs = measured ? r.GetInt64(12) : r.IsDBNull(10) ? null : r.GetInt64(10),
            Connections = connections,
            ConnectionTurns = measured ? r.GetInt32(13) : 0,
            AudioInMs = measured ? r.GetInt64(14) : 0,
            AudioOutMs = measured ? r.GetInt64(15) : 0,
            Interruptions = measured ? r.GetInt32(16) : 0,
            FalseInterruptions = measured ? r.GetInt32(17) : 0,
            ResponsesCancelled = measured ? r.GetInt32(18) : 0,
            InputFramesDropped = measured ? r.GetInt32(19) : 0,
            ClientMessagesRejected = measured ? r.GetInt32(20) : 0,
            TurnsMeasured = r.GetInt32(24),
            MeanResponseLatencyMs = r.IsDBNull(25) ? null : r.GetDouble(25),
            MeanFirstTextLatencyMs = r.IsDBNull(26) ? null : r.GetDouble(26),
            AnyTurnInterrupted = r.GetBoolean(27),
            MeanToolLatencyMs = r.IsDBNull(28) ? null : r.GetDouble(28),
            AnyToolFailure = r.GetBoolean(29),
            CostUsd = r.IsDBNull(30) ? null : r.GetDecimal(30),
        };
    }

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
