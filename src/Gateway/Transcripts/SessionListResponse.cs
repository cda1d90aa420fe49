using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A page of sessions, newest first; pass <c>next_cursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record SessionListResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<SessionResponse> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_cursor")] string? NextCursor)
{
    [JsonPropertyName("object")] public string Object => "list";
}
