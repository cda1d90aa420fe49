using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A session's transcript as JSON: segments in timeline order.</summary>
public sealed record TranscriptResponse(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("segments")] IReadOnlyList<TranscriptSegmentResponse> Segments)
{
    [JsonPropertyName("object")] public string Object => "transcript";
}
