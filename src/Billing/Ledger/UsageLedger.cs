using Npgsql;
using NpgsqlTypes;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Ledger;

/// <summary>The append-only ledger: one priced row per usage event.</summary>
public sealed class UsageLedger(NpgsqlDataSource dataSource)
{
    /// <summary>Appends the event priced with <paramref name="price"/>. False when the event was already recorded (a redelivery).</summary>
    public async Task<bool> AppendAsync(UsageRecorded usage, PriceVersion price, decimal cost, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO usage_ledger (
                event_id, tenant_id, session_id, model, provider, occurred_at,
                input_audio_tokens, input_text_tokens, input_image_tokens,
                cached_input_audio_tokens, cached_input_text_tokens, cached_input_image_tokens,
                output_audio_tokens, output_text_tokens, connection_ms, price_version, cost_usd)
            VALUES (@event, @tenant, @session, @model, @provider, @occurred,
                @in_audio, @in_text, @in_image, @cached_audio, @cached_text, @cached_image,
                @out_audio, @out_text, @connection_ms, @price_version, @cost)
            ON CONFLICT (event_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("event", usage.EventId);
        command.Parameters.AddWithValue("tenant", usage.TenantId);
        command.Parameters.AddWithValue("session", usage.SessionId);
        command.Parameters.AddWithValue("model", usage.Model);
        command.Parameters.AddWithValue("provider", usage.Provider);
        command.Parameters.AddWithValue("occurred", usage.OccurredAt.ToUniversalTime());
        command.Parameters.AddWithValue("in_audio", usage.InputAudioTokens);
        command.Parameters.AddWithValue("in_text", usage.InputTextTokens);
        command.Parameters.AddWithValue("in_image", usage.InputImageTokens);
        command.Parameters.AddWithValue("cached_audio", usage.CachedInputAudioTokens);
        command.Parameters.AddWithValue("cached_text", usage.CachedInputTextTokens);
        command.Parameters.AddWithValue("cached_image", usage.CachedInputImageTokens);
        command.Parameters.AddWithValue("out_audio", usage.OutputAudioTokens);
        command.Parameters.AddWithValue("out_text", usage.OutputTextTokens);
        command.Parameters.AddWithValue("connection_ms", usage.ConnectionMilliseconds);
        command.Parameters.AddWithValue("price_version", price.Version);
        command.Parameters.Add(new NpgsqlParameter("cost", NpgsqlDbType.Numeric) { Value = cost });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
