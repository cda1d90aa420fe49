using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A matching segment; <c>snippet</c> wraps the matched words in <c>&lt;mark&gt;…&lt;/mark&gt;</c>.</summary>
public sealed record SearchHitResponse(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("segment_id")] string SegmentId,
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("start_ms")] long StartMs,
    [property: JsonPropertyName("end_ms")] long EndMs,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("snippet")] string Snippet)
{
    public static SearchHitResponse From(SearchHit hit) =>
        new(hit.SessionId, hit.SegmentId, hit.ItemId, hit.Role, hit.StartMs, hit.EndMs, hit.Truncated, hit.Snippet);
}
