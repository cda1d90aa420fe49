using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>One final utterance. <c>truncated</c>: assistant text the user interrupted, so not all of it was heard.</summary>
public sealed record TranscriptSegmentResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("start_ms")] long StartMs,
    [property: JsonPropertyName("end_ms")] long EndMs,
    [property: JsonPropertyName("truncated")] bool Truncated)
{
    public static TranscriptSegmentResponse From(TranscriptSegment segment) =>
        new(segment.SegmentId, segment.ItemId, segment.Role, segment.Text, segment.StartMs, segment.EndMs, segment.Truncated);
}
