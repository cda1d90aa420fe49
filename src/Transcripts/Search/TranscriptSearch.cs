using Npgsql;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Search;

/// <summary>
/// Full-text search over one tenant's segments: <c>websearch_to_tsquery</c> (words, "phrases", -exclusions, or) against
/// the generated, GIN-indexed tsvector; <c>ts_headline</c> marks the matches in the snippet. Newest segments first.
/// </summary>
public sealed class TranscriptSearch(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 100;

    public async Task<SearchTranscriptsResponse> SearchAsync(Guid tenantId, string query, int pageSize, string? cursor, CancellationToken cancellationToken)
    {
        pageSize = pageSize <= 0 ? 20 : Math.Min(pageSize, MaxPageSize);
        var (afterRecorded, afterId) = SearchCursor.Decode(cursor);
        await using var command = dataSource.CreateCommand("""
            WITH q AS (SELECT websearch_to_tsquery('english', @query) AS query)
            SELECT s.session_id, s.segment_id, s.item_id, s.role, s.start_ms, s.end_ms, s.truncated, s.recorded_at,
                   ts_headline('english', s.text, q.query, 'StartSel=<mark>, StopSel=</mark>, MinWords=8, MaxWords=30, HighlightAll=false')
            FROM segments s, q
            WHERE s.tenant_id = @tenant AND s.search @@ q.query
              AND (@after_recorded::timestamptz IS NULL OR (s.recorded_at, s.segment_id) < (@after_recorded, @after_id))
            ORDER BY s.recorded_at DESC, s.segment_id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("query", query);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("after_recorded", afterRecorded));
        command.Parameters.AddWithValue("after_id", afterId ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", pageSize + 1);

        var response = new SearchTranscriptsResponse();
        DateTimeOffset lastRecorded = default;
        Guid lastId = default;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (response.Hits.Count == pageSize)
            {
                response.NextCursor = SearchCursor.Encode(lastRecorded, lastId);
                break;
            }
            lastId = reader.GetGuid(1);
            lastRecorded = reader.GetFieldValue<DateTimeOffset>(7);
            response.Hits.Add(new SearchHit
            {
                SessionId = reader.GetString(0),
                SegmentId = lastId.ToString(),
                ItemId = reader.GetString(2),
                Role = reader.GetString(3),
                StartMs = reader.GetInt64(4),
                EndMs = reader.GetInt64(5),
                Truncated = reader.GetBoolean(6),
                RecordedAtUnixMs = lastRecorded.ToUnixTimeMilliseconds(),
                Snippet = reader.GetString(8),
            });
        }
        return response;
    }
}
