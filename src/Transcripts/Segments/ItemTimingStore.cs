using Npgsql;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Transcripts.Segments;

/// <summary>When items were heard (from the Gateway's <see cref="TurnMeasured"/>): assistant audio played, user speech sent; one row per item.</summary>
public sealed class ItemTimingStore(NpgsqlDataSource dataSource)
{
    /// <returns>How many items were stored; a redelivered event stores the same values again.</returns>
    public async Task<int> RecordAsync(TurnMeasured turn, CancellationToken cancellationToken)
    {
        if (turn.ConnectionOpenedAt is not { } openedAt) return 0;
        IReadOnlyList<ItemPlayback> items = turn.UserSpeech is { } speech ? [speech, .. turn.Items] : turn.Items;
        if (items.Count == 0) return 0;
        await using var batch = dataSource.CreateBatch();
        foreach (var item in items)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO item_timing (tenant_id, session_id, item_id, connection_opened_at, start_ms, end_ms, truncated)
                VALUES (@tenant, @session, @item, @opened, @start, @end, @truncated)
                ON CONFLICT (tenant_id, session_id, item_id) DO UPDATE
                    SET connection_opened_at = EXCLUDED.connection_opened_at, start_ms = EXCLUDED.start_ms,
                        end_ms = EXCLUDED.end_ms, truncated = EXCLUDED.truncated
                """);
            command.Parameters.AddWithValue("tenant", turn.TenantId);
            command.Parameters.AddWithValue("session", turn.SessionId);
            command.Parameters.AddWithValue("item", item.ItemId);
            command.Parameters.AddWithValue("opened", openedAt);
            command.Parameters.AddWithValue("start", item.StartMs);
            command.Parameters.AddWithValue("end", item.EndMs);
            command.Parameters.AddWithValue("truncated", item.Truncated);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return items.Count;
    }
}
