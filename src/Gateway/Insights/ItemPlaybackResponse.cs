using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>When an assistant item's audio played to the client (session timeline), cut where the client truncated it.</summary>
public sealed class ItemPlaybackResponse
{
    [JsonPropertyName("item_id")] public required string ItemId { get; init; }
    [JsonPropertyName("start_ms")] public long StartMs { get; init; }
    [JsonPropertyName("end_ms")] public long EndMs { get; init; }
    [JsonPropertyName("truncated")] public bool Truncated { get; init; }
}
