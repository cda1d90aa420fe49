using Npgsql;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Sessions;

/// <summary>Recorded sessions, newest first, with keyset pagination (the cursor is the last row's start time and id).</summary>
public sealed class SessionStore(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 100;

    public async Task<ListSessionsResponse> ListAsync(Guid tenantId, int pageSize, string? cursor, CancellationToken cancellationToken)
    {
        pageSize = pageSize <= 0 ? 20 : Math.Min(pageSize, MaxPageSize);
        var (afterStarted, afterId) = SessionCursor.Decode(cursor);
        await using var command = dataSource.CreateCommand("""
            SELECT session_id, model, provider, started_at, ended_at, end_reason FROM sessions
            WHERE tenant_id = @tenant AND (@after_started::timestamptz IS NULL OR (started_at, session_id) < (@after_started, @after_id))
            ORDER BY started_at DESC, session_id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("after_started", afterStarted));
        command.Parameters.AddWithValue("after_id", afterId ?? "");
        command.Parameters.AddWithValue("limit", pageSize + 1);

        var response = new ListSessionsResponse();
        DateTimeOffset lastStarted = default;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (response.Sessions.Count == pageSize)
            {
                var last = response.Sessions[^1];
                response.NextCursor = SessionCursor.Encode(lastStarted, last.SessionId);
                break;
            }
            lastStarted = reader.GetFieldValue<DateTimeOffset>(3);
            response.Sessions.Add(new SessionSummary
            {
                SessionId = reader.GetString(0),
                Model = reader.GetString(1),
                Provider = reader.GetString(2),
                StartedAtUnixMs = lastStarted.ToUnixTimeMilliseconds(),
                EndedAtUnixMs = reader.IsDBNull(4) ? 0 : reader.GetFieldValue<DateTimeOffset>(4).ToUnixTimeMilliseconds(),
                EndReason = reader.IsDBNull(5) ? "" : reader.GetString(5),
            });
        }
        return response;
    }
}
