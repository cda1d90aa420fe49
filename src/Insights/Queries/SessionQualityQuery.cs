using System.Globalization;
using System.Text.Json;
using Npgsql;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Insights.Queries;

/// <summary>One session's quality: its totals, and its turns, tool calls (a server call counted once) and continuity events in time order.</summary>
public sealed class SessionQualityQuery(NpgsqlDataSource dataSource)
{
    /// <returns>null when the tenant has no such session (another tenant's session included).</returns>
    public async Task<SessionQuality?> GetAsync(Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        var found = await SessionFactsReader.ReadAsync(dataSource, "WHERE s.tenant_id = @tenant AND s.session_id = @session", p =>
        {
            p.AddWithValue("tenant", tenantId);
            p.AddWithValue("session", sessionId);
        }, cancellationToken);
        if (found.Count == 0) return null;
        var facts = found[0];

        var quality = new SessionQuality
        {
            SessionId = facts.SessionId,
            Model = facts.Model ?? "",
            Provider = facts.Provider ?? "",
            Route = facts.Route ?? "",
            ExperimentId = facts.ExperimentId ?? "",
            ExperimentArm = facts.ExperimentArm ?? "",
            StartedAtUnixMs = facts.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            EndedAtUnixMs = facts.EndedAt?.ToUnixTimeMilliseconds() ?? 0,
            EndReason = facts.EndReason ?? "",
            EndCategory = facts.EndCategory ?? "",
            Connections = facts.Connections,
            Turns = Math.Max(facts.ConnectionTurns, facts.TurnsMeasured),
            AudioInMs = facts.AudioInMs,
            AudioOutMs = facts.AudioOutMs,
            Interruptions = facts.Interruptions,
            FalseInterruptions = facts.FalseInterruptions,
            ResponsesCancelled = facts.ResponsesCancelled,
            InputFramesDropped = facts.InputFramesDropped,
            ClientMessagesRejected = facts.ClientMessagesRejected,
            CostUsd = facts.CostUsd?.ToString("0.############", CultureInfo.InvariantCulture) ?? "",
        };
        if (facts.DurationMs is { } duration) quality.DurationMs = duration;
        if (facts.CostPerMinuteUsd is { } perMinute) quality.CostPerMinuteUsd = perMinute;
        await AddTurnsAsync(quality, tenantId, sessionId, cancellationToken);
        await AddToolCallsAsync(quality, tenantId, sessionId, cancellationToken);
        await AddContinuityAsync(quality, tenantId, sessionId, cancellationToken);
        return quality;
    }

    private async Task AddTurnsAsync(SessionQuality quality, Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT response_id, occurred_at, trigger, turn_end_ms, response_latency_ms, first_text_latency_ms, status, audio_out_ms,
                   interrupted, interrupted_after_ms, max_stall_ms, items::text
            FROM turns WHERE tenant_id = @tenant AND session_id = @session ORDER BY COALESCE(turn_end_ms, 0), occurred_at, response_id
            """, tenantId, sessionId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var turn = new TurnQuality
            {
                ResponseId = r.GetString(0),
                OccurredAtUnixMs = r.GetFieldValue<DateTimeOffset>(1).ToUnixTimeMilliseconds(),
                Trigger = r.GetString(2),
                Status = r.GetString(6),
                AudioOutMs = r.GetInt64(7),
                Interrupted = r.GetBoolean(8),
                MaxStallMs = r.GetInt64(10),
            };
            if (!r.IsDBNull(3)) turn.TurnEndMs = r.GetInt64(3);
            if (!r.IsDBNull(4)) turn.ResponseLatencyMs = r.GetInt64(4);
            if (!r.IsDBNull(5)) turn.FirstTextLatencyMs = r.GetInt64(5);
            if (!r.IsDBNull(9)) turn.InterruptedAfterMs = r.GetInt64(9);
            foreach (var item in JsonSerializer.Deserialize<List<ItemPlayback>>(r.GetString(11)) ?? [])
                turn.Items.Add(new ItemPlaybackInfo { ItemId = item.ItemId, StartMs = item.StartMs, EndMs = item.EndMs, Truncated = item.Truncated });
            quality.TurnDetails.Add(turn);
        }
    }

    private async Task AddToolCallsAsync(SessionQuality quality, Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT call_id, tool_name, 'client', outcome, latency_ms, occurred_at FROM client_tool_calls
            WHERE tenant_id = @tenant AND session_id = @session AND NOT superseded
            UNION ALL
            SELECT call_id, tool_name, 'server', outcome, latency_ms, invoked_at FROM server_tool_calls
            WHERE tenant_id = @tenant AND session_id = @session
            ORDER BY 6, 1
            """, tenantId, sessionId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            quality.ToolCalls.Add(new ToolCallQuality
            {
                CallId = r.GetString(0), ToolName = r.GetString(1), ExecutedBy = r.GetString(2), Outcome = r.GetString(3),
                LatencyMs = r.GetInt64(4), OccurredAtUnixMs = r.GetFieldValue<DateTimeOffset>(5).ToUnixTimeMilliseconds(),
            });
    }

    private async Task AddContinuityAsync(SessionQuality quality, Guid tenantId, string sessionId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT kind, occurred_at, at_ms, duration_ms, detail FROM continuity_events
            WHERE tenant_id = @tenant AND session_id = @session ORDER BY occurred_at, event_id
            """, tenantId, sessionId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var recorded = new ContinuityEventInfo
            {
                Kind = r.GetString(0), OccurredAtUnixMs = r.GetFieldValue<DateTimeOffset>(1).ToUnixTimeMilliseconds(),
                DurationMs = r.GetInt64(3), Detail = r.IsDBNull(4) ? "" : r.GetString(4),
            };
            if (!r.IsDBNull(2)) recorded.AtMs = r.GetInt64(2);
            quality.ContinuityEvents.Add(recorded);
        }
    }

    private NpgsqlCommand Command(string sql, Guid tenantId, string sessionId)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("session", sessionId);
        return command;
    }
}
