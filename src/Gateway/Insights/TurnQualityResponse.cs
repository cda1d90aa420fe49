using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>One response the Gateway relayed, measured on the client's timeline (ms since its socket opened).</summary>
public sealed class TurnQualityResponse
{
    [JsonPropertyName("response_id")] public required string ResponseId { get; init; }
    /// <summary>What ended the user's turn: server_vad, commit, response_create, or none.</summary>
    [JsonPropertyName("trigger")] public required string Trigger { get; init; }
    [JsonPropertyName("turn_end_ms")] public long? TurnEndMs { get; init; }
    /// <summary>Turn end → first audio delta written to the client (TTFA); null when no audio played or no turn was answered.</summary>
    [JsonPropertyName("response_latency_ms")] public long? ResponseLatencyMs { get; init; }
    /// <summary>Turn end → first transcript or text delta written to the client.</summary>
    [JsonPropertyName("first_text_latency_ms")] public long? FirstTextLatencyMs { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("audio_out_ms")] public long AudioOutMs { get; init; }
    [JsonPropertyName("interrupted")] public bool Interrupted { get; init; }
    [JsonPropertyName("interrupted_after_ms")] public long? InterruptedAfterMs { get; init; }
    /// <summary>The longest the client's playback ran dry inside the response.</summary>
    [JsonPropertyName("max_stall_ms")] public long MaxStallMs { get; init; }
    /// <summary>Unix milliseconds: when the response settled.</summary>
    [JsonPropertyName("occurred_at_ms")] public long OccurredAtMs { get; init; }
    [JsonPropertyName("items")] public required IReadOnlyList<ItemPlaybackResponse> Items { get; init; }

    public static TurnQualityResponse From(TurnQuality t) => new()
    {
        ResponseId = t.ResponseId,
        Trigger = t.Trigger,
        TurnEndMs = t.HasTurnEndMs ? t.TurnEndMs : null,
        ResponseLatencyMs = t.HasResponseLatencyMs ? t.ResponseLatencyMs : null,
        FirstTextLatencyMs = t.HasFirstTextLatencyMs ? t.FirstTextLatencyMs : null,
        Status = t.Status,
        AudioOutMs = t.AudioOutMs,
        Interrupted = t.Interrupted,
        InterruptedAfterMs = t.HasInterruptedAfterMs ? t.InterruptedAfterMs : null,
        MaxStallMs = t.MaxStallMs,
        OccurredAtMs = t.OccurredAtUnixMs,
        Items = [.. t.Items.Select(i => new ItemPlaybackResponse { ItemId = i.ItemId, StartMs = i.StartMs, EndMs = i.EndMs, Truncated = i.Truncated })],
    };
}
